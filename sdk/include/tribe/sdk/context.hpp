#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "tribe/sdk/abi.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/log.hpp"
#include "tribe/sdk/member.hpp"
#include "tribe/sdk/money.hpp"
#include "tribe/sdk/site.hpp"
#include "tribe/sdk/store.hpp"

namespace tribe::sdk {

// Everything a plugin may use while serving one site: handed to route handlers and site hooks.
class TRIBE_SDK_API Context {
 public:
  virtual ~Context() = default;
  virtual const SiteView& site() const = 0;
  virtual TenantStore& store() = 0;
  virtual Logger& log() = 0;
  virtual const Clock& clock() const = 0;
  // The message `key` in the site's locale: the plugin's catalogue first, then the kernel's.
  virtual std::string text(std::string_view key) const = 0;
  // The logged-in member, or nullptr for a visitor.
  virtual const Member* member() const = 0;
  // Whether the member may use `key` now: an offer they paid for grants it and its term (plus
  // grace days) has not ended. Always false for a visitor. Guard routes with requires_entitlement.
  virtual bool entitled(std::string_view key) const = 0;
  // Renders this plugin's template `name` inside the site's layout shell. `data` is extended with
  // `site`, `theme`, `base`, `member`, `csrf_token` (put it in every POST form as the hidden field
  // `csrf_token`) and `t` (the message catalogue); values are HTML-escaped unless the template
  // uses triple braces.
  virtual std::string render_page(std::string_view name, const Json& data) = 0;
  // Added in ABI 2.1. Where the person stands on the site's customer ladder: "visitor", "fan"
  // (signed up), "member" or "partner" (bought an offer the site's `ladder` names).
  virtual std::string stage() const = 0;
  // Added in ABI 3.0. The site's money service: orders, access, deposits and escrow. The flows in
  // tribe/sdk/flows.hpp are built on it.
  virtual Money& money() = 0;

  // Added in ABI 3.2. Member tags put people in tribes: "group:value" ("city:上海",
  // "interest:阅读", "role:investor") or one word ("verified"). Members choose the tags the site's
  // YAML lists under `tags`; a plugin may give or take any tag (an approved application's
  // "verified"), and an offer with `requires_tags` sells only to members holding all of them.
  // The tags of a member of this site, sorted (empty for an unknown id).
  virtual std::vector<std::string> tags_of(std::string_view member_id) = 0;
  // Gives (`on`) or takes away `tag`; returns whether that changed anything. HttpError 400 for a
  // malformed tag, 404 for a member the site does not have.
  virtual bool set_tag(std::string_view member_id, std::string_view tag, bool on) = 0;
  // The ids of this site's members holding `tag`, earliest tagged first, at most `limit` (none
  // when it is below 1) and never more than 10000: page through larger tribes by other means.
  virtual std::vector<std::string> members_tagged(std::string_view tag, int limit) = 0;
};

}  // namespace tribe::sdk
