#pragma once
// The one way a plugin contributes to Tribe. `register_with` reads like its table of contents.
#include <functional>
#include <string>

#include "tribe/sdk/abi.hpp"
#include "tribe/sdk/http.hpp"
#include "tribe/sdk/schema.hpp"

namespace tribe::sdk {

class Context;

struct TRIBE_SDK_API CommunityType {
  std::string name;  // "interest", "product", ...
  std::string description;
};

// A versioned schema change for this plugin's tables, applied once per database in a transaction.
// Every table's first primary key column must be `tenant_id`, and its name must start with the
// plugin's name and an underscore (the plugin "interest" owns "interest_posts").
struct TRIBE_SDK_API Migration {
  int version = 0;
  std::string name;
  std::string sql;  // one or more statements separated by ';'
};

using SiteHook = std::function<void(Context&)>;

class TRIBE_SDK_API Registry {
 public:
  virtual ~Registry() = default;
  virtual void add_community_type(CommunityType type) = 0;
  // The shape of this plugin's section in a site YAML (the key is the plugin's name).
  virtual void set_config_schema(Schema schema) = 0;
  virtual void add_migration(Migration migration) = 0;
  // A mustache template, rendered with Context::render_page(name, ...).
  virtual void add_template(std::string name, std::string mustache) = 0;
  // A message catalogue for a locale, as flat YAML `key: text`.
  virtual void add_messages(std::string locale, std::string yaml) = 0;
  // Routes are mounted on every site the plugin serves.
  virtual void add_route(Route route) = 0;
  // Runs when a site using this plugin starts serving (seed content, warm caches).
  virtual void on_site_start(SiteHook hook) = 0;
};

}  // namespace tribe::sdk
