#pragma once
#include <string>
#include <vector>

namespace tribe::kernel::config {

// One problem in a configuration file, positioned for a human (1-based line and column).
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string path;  // "interest.posts[2].title"; empty for syntax and file-level problems
  std::string message;

  // "file:line:col: path: message", or "file:line:col: message" without a path.
  std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

// Orders diagnostics as a reader meets them: by file, then line, then column; ties keep their
// order.
void sort_by_position(Diagnostics& diagnostics);

}  // namespace tribe::kernel::config
