#include "kernel/config/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace tribe::kernel::config {

std::string Diagnostic::to_string() const {
  std::string text = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  if (!path.empty()) text += path + ": ";
  return text + message;
}

void sort_by_position(Diagnostics& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
}

}  // namespace tribe::kernel::config
