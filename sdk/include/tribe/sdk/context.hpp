#pragma once
#include <string>
#include <string_view>

#include "tribe/sdk/abi.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/log.hpp"
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
  // Renders this plugin's template `name` inside the site's layout shell. `data` is extended with
  // `site`, `theme`, `base` and `t` (the message catalogue); values are HTML-escaped unless the
  // template uses triple braces.
  virtual std::string render_page(std::string_view name, const Json& data) = 0;
};

}  // namespace tribe::sdk
