#include "kernel/store/sql_script.hpp"

namespace tribe::kernel::store {
namespace {

class StatementSplitter {
 public:
  explicit StatementSplitter(const std::string& script) : script_(script) {}

  std::vector<std::string> split() {
    while (at_ < script_.size()) step();
    finish_statement();
    return std::move(statements_);
  }

 private:
  void step() {
    const char c = script_[at_];
    if (c == '\'' || c == '"') {
      copy_quoted(c);
    } else if (c == '-' && next_is('-')) {
      skip_until("\n");
    } else if (c == '/' && next_is('*')) {
      skip_until("*/");
    } else if (c == ';') {
      ++at_;
      finish_statement();
    } else {
      current_ += c;
      ++at_;
    }
  }

  bool next_is(char c) const { return at_ + 1 < script_.size() && script_[at_ + 1] == c; }

  // A doubled quote inside the quotes ('it''s') is an escaped quote, not the end.
  void copy_quoted(char quote) {
    current_ += script_[at_++];
    while (at_ < script_.size()) {
      const char c = script_[at_++];
      current_ += c;
      if (c != quote) continue;
      if (at_ < script_.size() && script_[at_] == quote) {
        current_ += script_[at_++];
        continue;
      }
      return;
    }
  }

  // Comments are dropped; a space keeps the words on either side apart.
  void skip_until(const std::string& end) {
    const auto found = script_.find(end, at_ + 2);
    at_ = found == std::string::npos ? script_.size() : found + end.size();
    current_ += ' ';
  }

  void finish_statement() {
    const auto first = current_.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) {
      const auto last = current_.find_last_not_of(" \t\r\n");
      statements_.push_back(current_.substr(first, last - first + 1));
    }
    current_.clear();
  }

  const std::string& script_;
  std::size_t at_ = 0;
  std::string current_;
  std::vector<std::string> statements_;
};

}  // namespace

std::vector<std::string> split_sql_statements(const std::string& script) {
  return StatementSplitter(script).split();
}

}  // namespace tribe::kernel::store
