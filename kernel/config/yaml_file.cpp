#include "kernel/config/yaml_file.hpp"

#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <vector>

namespace tribe::kernel::config {
namespace {

// Thrown by the structure check to stop the parser once going on is pointless.
struct StopParsing {};

std::string join_key(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// First pass over the parser's events, before any tree exists: finds what yaml-cpp 0.7 accepts
// silently (duplicate keys, a quoted string left open at the end of the file) and what must be
// bounded before the recursive tree builder runs (nesting depth, alias expansion).
class StructureCheck : public YAML::EventHandler {
 public:
  StructureCheck(const std::string& text, const std::string& file, const YamlLimits& limits,
                 Diagnostics& out)
      : text_(text), file_(file), limits_(limits), out_(out) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) stop(mark, "", "a site file holds one YAML document");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    place(mark, nullptr);
    count_leaf(anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    place(mark, nullptr);
    const auto found = anchor_sizes_.find(anchor);
    if (found == anchor_sizes_.end()) {
      stop(mark, "", "this alias refers to a node that contains it");
    }
    add_nodes(found->second, mark);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    check_quote_closed(mark);
    place(mark, &value);
    count_leaf(anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Collection {
    bool is_map = false;
    std::string path;
    std::size_t children = 0;  // nodes seen; in a mapping keys and values alternate
    std::string current_key;
    std::map<std::string, YAML::Mark> keys;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t nodes_before = 0;
  };

  // Works out where a new node sits (its path) and checks mapping keys for duplicates.
  std::string place(const YAML::Mark& mark, const std::string* scalar) {
    if (open_.empty()) return "";
    Collection& parent = open_.back();
    const std::size_t index = parent.children++;
    if (!parent.is_map) return parent.path + "[" + std::to_string(index) + "]";
    if (index % 2 == 1) return join_key(parent.path, parent.current_key);
    // A key. Only scalar keys are compared: site files use nothing else.
    parent.current_key = scalar ? *scalar : "?";
    const std::string path = join_key(parent.path, parent.current_key);
    if (!scalar) return path;
    const auto [first, inserted] = parent.keys.emplace(*scalar, mark);
    if (!inserted) {
      report(mark, path,
             "duplicate key '" + *scalar + "' (first at line " +
                 std::to_string(first->second.line + 1) + ", column " +
                 std::to_string(first->second.column + 1) + ")");
    }
    return path;
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    std::string path = place(mark, nullptr);
    if (static_cast<int>(open_.size()) >= limits_.max_depth) {
      stop(mark, "", "nesting is deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    Collection collection;
    collection.is_map = is_map;
    collection.path = std::move(path);
    collection.anchor = anchor;
    collection.nodes_before = nodes_;
    open_.push_back(std::move(collection));
    add_nodes(1, mark);
  }

  void close() {
    const Collection& done = open_.back();
    if (done.anchor != YAML::NullAnchor) anchor_sizes_[done.anchor] = nodes_ - done.nodes_before;
    open_.pop_back();
  }

  void count_leaf(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchor_sizes_[anchor] = 1;
    add_nodes(1, YAML::Mark());
  }

  void add_nodes(std::size_t count, const YAML::Mark& mark) {
    nodes_ += count;
    if (nodes_ > limits_.max_nodes) {
      stop(mark, "",
           "the document has more than " + std::to_string(limits_.max_nodes) +
               " nodes once its aliases are expanded");
    }
  }

  // yaml-cpp 0.7 takes the end of the file as the end of an open quoted string.
  void check_quote_closed(const YAML::Mark& mark) {
    if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_.size()) return;
    const char quote = text_[mark.pos];
    if (quote != '"' && quote != '\'') return;
    for (std::size_t i = mark.pos + 1; i < text_.size(); ++i) {
      if (quote == '"' && text_[i] == '\\') {
        ++i;
      } else if (text_[i] == quote) {
        if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;  // '' is an escaped quote
        } else {
          return;
        }
      }
    }
    stop(mark, "", "syntax error: end of string not found");
  }

  void report(const YAML::Mark& mark, const std::string& path, std::string message) {
    out_.push_back({file_, mark.line + 1, mark.column + 1, path, std::move(message)});
  }

  [[noreturn]] void stop(const YAML::Mark& mark, const std::string& path, std::string message) {
    report(mark, path, std::move(message));
    throw StopParsing{};
  }

  const std::string& text_;
  const std::string& file_;
  const YamlLimits& limits_;
  Diagnostics& out_;
  int documents_ = 0;
  std::size_t nodes_ = 0;
  std::vector<Collection> open_;
  std::map<YAML::anchor_t, std::size_t> anchor_sizes_;
};

void report_syntax_error(const YAML::Exception& error, const std::string& file, Diagnostics& out) {
  const int line = error.mark.is_null() ? 1 : error.mark.line + 1;
  const int column = error.mark.is_null() ? 1 : error.mark.column + 1;
  out.push_back({file, line, column, "", "syntax error: " + error.msg});
}

Diagnostic too_big(std::size_t size, const std::string& file, const YamlLimits& limits) {
  return {file, 1, 1, "",
          "file is " + std::to_string(size) + " bytes; the limit is " +
              std::to_string(limits.max_bytes) + " bytes"};
}

}  // namespace

std::optional<YAML::Node> load_yaml_text(const std::string& text, const std::string& file,
                                         Diagnostics& out, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    out.push_back(too_big(text.size(), file, limits));
    return std::nullopt;
  }
  // Without a final line break yaml-cpp reports an open string at the end of the file as an
  // "illegal EOF"; with it, the structure check reports it at the opening quote.
  std::string source = text;
  if (!source.empty() && source.back() != '\n') source += '\n';

  const std::size_t problems_before = out.size();
  std::istringstream events_input(source);
  YAML::Parser parser(events_input);
  StructureCheck check(source, file, limits, out);
  try {
    while (parser.HandleNextDocument(check)) {
    }
  } catch (const StopParsing&) {
  } catch (const YAML::ParserException& error) {
    report_syntax_error(error, file, out);
  }
  if (out.size() != problems_before) return std::nullopt;

  try {
    return YAML::Load(source);
  } catch (const YAML::Exception& error) {
    report_syntax_error(error, file, out);
    return std::nullopt;
  }
}

std::optional<YAML::Node> load_yaml_file(const std::filesystem::path& file, Diagnostics& out,
                                         const YamlLimits& limits) {
  const std::string name = file.string();
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error) {
    out.push_back({name, 1, 1, "", "cannot read file: " + error.message()});
    return std::nullopt;
  }
  if (size > limits.max_bytes) {
    out.push_back(too_big(size, name, limits));
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::string text(in ? std::istreambuf_iterator<char>(in) : std::istreambuf_iterator<char>(), {});
  if (!in && !in.eof()) {
    out.push_back({name, 1, 1, "", std::string("cannot read file: ") + std::strerror(errno)});
    return std::nullopt;
  }
  return load_yaml_text(text, name, out, limits);
}

}  // namespace tribe::kernel::config
