#pragma once
// Member tags, the seeds' "user tags put people in tribes": "group:value" ("city:上海",
// "interest:阅读", "role:investor") or one word a plugin sets ("verified"). The site's `tags` key
// lists the groups and values members choose for themselves; an offer's `requires_tags` sells it
// only to members holding every one of them.
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/config/diagnostic.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/schema.hpp"

namespace tribe::kernel::config {

// Why `tag` is not a tag, or nullopt when it is: a group of lower-case letters, digits, '_' and
// '-' (starting with a letter, at most 32), then optionally ':' and a value of 1 to 64 bytes
// without spaces, commas or ':'.
std::optional<std::string> tag_problem(const std::string& tag);

// The tags members may give themselves (the `tags` key): group -> values, in YAML order.
struct TagVocabulary {
  std::map<std::string, std::vector<std::string>> groups;

  // Whether a member may choose `tag` ("city:上海" when city lists 上海).
  bool offers(const std::string& tag) const;
  // Whether `tag` belongs to one of the groups members choose from (their own choice, which
  // replacing their choices may remove; other tags are set by plugins and stay).
  bool owns(const std::string& tag) const;
};

sdk::Schema tags_schema();
TagVocabulary read_tags(const YAML::Node& root, const sdk::Json& site, const std::string& file,
                        Diagnostics& out);
}  // namespace tribe::kernel::config
