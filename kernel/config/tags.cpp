#include "kernel/config/tags.hpp"

#include <algorithm>
#include <regex>

namespace tribe::kernel::config {
namespace {

using sdk::Json;

constexpr std::size_t kMaxValueBytes = 64;

Diagnostic at(const YAML::Node& node, const std::string& file, std::string path,
              std::string message) {
  return {file, node.Mark().line + 1, node.Mark().column + 1, std::move(path), std::move(message)};
}

std::string group_of(const std::string& tag) {
  return tag.substr(0, tag.find(':'));
}

}  // namespace

std::optional<std::string> tag_problem(const std::string& tag) {
  static const std::regex group("[a-z][a-z0-9_-]{0,31}");
  const auto colon = tag.find(':');
  if (!std::regex_match(tag.substr(0, colon), group)) {
    return "'" + tag +
           "' is not a tag: it starts with a group of lower-case letters, digits, '_' and '-' "
           "(e.g. city:上海, role:investor, verified)";
  }
  if (colon == std::string::npos) return std::nullopt;
  const std::string value = tag.substr(colon + 1);
  if (value.empty() || value.size() > kMaxValueBytes) {
    return "the value of tag '" + tag + "' must have 1 to " + std::to_string(kMaxValueBytes) +
           " bytes";
  }
  if (value.find_first_of(" \t\r\n,:") != std::string::npos) {
    return "the value of tag '" + tag + "' cannot contain spaces, commas or ':'";
  }
  return std::nullopt;
}

bool TagVocabulary::offers(const std::string& tag) const {
  const auto colon = tag.find(':');
  if (colon == std::string::npos) return false;
  const auto group = groups.find(tag.substr(0, colon));
  if (group == groups.end()) return false;
  return std::find(group->second.begin(), group->second.end(), tag.substr(colon + 1)) !=
         group->second.end();
}

bool TagVocabulary::owns(const std::string& tag) const {
  return tag.find(':') != std::string::npos && groups.count(group_of(tag)) > 0;
}

sdk::Schema tags_schema() {
  return sdk::Schema::map_of(sdk::Schema::list_of(sdk::Schema::string()));
}

TagVocabulary read_tags(const YAML::Node& root, const Json& site, const std::string& file,
                        Diagnostics& out) {
  TagVocabulary vocabulary;
  if (!site.contains("tags") || !root["tags"].IsMap()) return vocabulary;
  for (const auto& item : root["tags"]) {
    const std::string group = item.first.Scalar();
    const std::string path = "tags." + group;
    if (group.find(':') != std::string::npos) {
      out.push_back(at(item.first, file, path, "a tag group cannot contain ':'"));
      continue;
    }
    if (auto problem = tag_problem(group)) {
      out.push_back(at(item.first, file, path, *problem));
      continue;
    }
    auto& values = vocabulary.groups[group];
    if (!item.second.IsSequence()) continue;  // the schema reported it
    for (std::size_t i = 0; i < item.second.size(); ++i) {
      if (!item.second[i].IsScalar()) continue;
      const std::string value = item.second[i].Scalar();
      const std::string where = path + "[" + std::to_string(i) + "]";
      if (auto problem = tag_problem(group + ":" + value)) {
        out.push_back(at(item.second[i], file, where, *problem));
      } else if (std::find(values.begin(), values.end(), value) != values.end()) {
        out.push_back(at(item.second[i], file, where, "'" + value + "' is listed twice"));
      } else {
        values.push_back(value);
      }
    }
  }
  return vocabulary;
}

}  // namespace tribe::kernel::config
