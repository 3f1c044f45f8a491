#pragma once
// The one way a plugin contributes to Tribe. `register_with` reads like its table of contents.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tribe/sdk/abi.hpp"
#include "tribe/sdk/http.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/offer.hpp"
#include "tribe/sdk/schema.hpp"

namespace tribe::sdk {

class Context;

// A mistake in a plugin's section of a site file. `path` is the key within the section, as
// "posts[2].kol" or "cohorts[0].offer" (the kernel reports it as "<plugin>.posts[2].kol" at that
// key's position, or at the nearest enclosing key the file has).
struct TRIBE_SDK_API SectionProblem {
  std::string path;
  std::string message;
};

// Sees the plugin's section (as validated by its Schema) and the offers of the site.
using SectionCheck = std::function<std::vector<SectionProblem>(const Json& section,
                                                               const std::vector<Offer>& offers)>;

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

// Something that happened on a site, reported by the kernel after the change committed:
//   "order.paid"     an order was paid and fulfilled   payload: order, offer, member, amount,
//   currency "order.refunded" an order was refunded             payload: the same
// Delivered at least once (also after a crash), outside the request that caused it.
struct TRIBE_SDK_API Event {
  std::string id;  // unique per site: a handler keys what it does on it, so a redelivery is a no-op
  std::string topic;
  Json payload;
};
using EventHandler = std::function<void(const Event&, Context&)>;

// How many times a plugin's funnel step happened on the site from one UTC day to another, both
// included ("2026-11-01", "2026-11-30").
using FunnelStep =
    std::function<std::int64_t(Context&, const std::string& from_day, const std::string& to_day)>;

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
  // Added in ABI 3.0. Runs `handler` for each event of `topic` on the sites this plugin serves,
  // with a Context of that site (no member). A handler that throws is retried with backoff.
  virtual void on_event(std::string topic, EventHandler handler) = 0;
  // Added in ABI 3.1. Runs `hook` on each site this plugin serves, with a Context of that site
  // (no member), once every `interval` (1 minute to 1 day) from the kernel's job scheduler: for
  // work that falls due with time rather than with a request (settling the deposits of challenges
  // whose window ended). Runs once per interval across restarts and nodes, on the instance's
  // clock; a hook that throws is logged and runs again at the next interval, so make it safe to
  // run again.
  virtual void every(std::chrono::seconds interval, SiteHook hook) = 0;
  // Added in ABI 3.2. A step of this plugin's sites' funnel: the kernel counts acquire, convert,
  // repurchase and refer; a plugin adds what is special to its type (check-ins, lessons done,
  // applications), shown as "<plugin>.<name>" under "steps" in GET /api/funnel. `name`:
  // lower-case letters, digits and '_'. A step that throws is logged and shown as null.
  virtual void add_funnel_step(std::string name, FunnelStep count) = 0;
  // Added in ABI 3.3. Checks what this plugin's Schema cannot express in its section of a site
  // file (an id that must name another entry of the section, or one of the site's offers), when
  // the site is loaded and by `tribe validate`. Each problem is reported at its key's
  // file:line:col and the site is not served, like any mistake in its YAML. Runs only on a
  // section that passed the schema; a check that throws is reported as a problem of the section.
  virtual void set_section_check(SectionCheck check) = 0;
};

}  // namespace tribe::sdk
