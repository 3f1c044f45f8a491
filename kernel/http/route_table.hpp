#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/sdk/http.hpp"

namespace tribe::kernel::http {

// Matches request paths against route patterns of literal segments and `{name}` parameters.
// Literal segments win over parameters, so "/posts/new" beats "/posts/{slug}".
template <typename Target>
class RouteTable {
 public:
  struct Match {
    const Target* target;
    std::map<std::string, std::string> params;
  };

  // Returns false (and keeps the first) when the same method and pattern shape are already taken.
  bool add(sdk::Method method, std::string_view pattern, Target target);
  std::optional<Match> match(sdk::Method method, std::string_view path) const;
  // Whether some method has this path: 405 rather than 404.
  bool has_path(std::string_view path) const;

 private:
  struct Entry {
    sdk::Method method;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    Target target;
  };
  static std::optional<std::map<std::string, std::string>> bind(
      const Entry& entry, const std::vector<std::string_view>& parts);
  std::vector<Entry> entries_;
};

std::vector<std::string_view> split_path(std::string_view path);
bool is_parameter(std::string_view segment);

template <typename Target>
bool RouteTable<Target>::add(sdk::Method method, std::string_view pattern, Target target) {
  std::vector<std::string> segments;
  for (auto part : split_path(pattern)) segments.emplace_back(part);
  for (const Entry& entry : entries_) {
    if (entry.method != method || entry.segments.size() != segments.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < segments.size() && same; ++i) {
      same = (is_parameter(segments[i]) && is_parameter(entry.segments[i])) ||
             segments[i] == entry.segments[i];
    }
    if (same) return false;
  }
  entries_.push_back(Entry{method, std::move(segments), std::move(target)});
  return true;
}

template <typename Target>
std::optional<std::map<std::string, std::string>> RouteTable<Target>::bind(
    const Entry& entry, const std::vector<std::string_view>& parts) {
  if (entry.segments.size() != parts.size()) return std::nullopt;
  std::map<std::string, std::string> params;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& segment = entry.segments[i];
    if (is_parameter(segment)) {
      params[segment.substr(1, segment.size() - 2)] = std::string(parts[i]);
    } else if (segment != parts[i]) {
      return std::nullopt;
    }
  }
  return params;
}

template <typename Target>
std::optional<typename RouteTable<Target>::Match> RouteTable<Target>::match(
    sdk::Method method, std::string_view path) const {
  auto parts = split_path(path);
  std::optional<Match> best;
  std::size_t best_literals = 0;
  for (const Entry& entry : entries_) {
    if (entry.method != method) continue;
    auto params = bind(entry, parts);
    if (!params) continue;
    std::size_t literals = entry.segments.size() - params->size();
    if (!best || literals > best_literals) {
      best = Match{&entry.target, std::move(*params)};
      best_literals = literals;
    }
  }
  return best;
}

template <typename Target>
bool RouteTable<Target>::has_path(std::string_view path) const {
  auto parts = split_path(path);
  for (const Entry& entry : entries_) {
    if (bind(entry, parts)) return true;
  }
  return false;
}

}  // namespace tribe::kernel::http
