#pragma once
// Where the tests find the real fixture plugins built from tests/fixture-plugins.
#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "kernel/plugins/plugin_host.hpp"
#include "tribe/sdk/context.hpp"

namespace tribe::kernel::plugins::test_support {

inline std::filesystem::path fixture_dir() {
  return TRIBE_FIXTURE_PLUGIN_DIR;
}
inline std::filesystem::path fixture(std::string_view name) {
  return fixture_dir() / (std::string(name) + ".so");
}

// The route of `plugin` with this method and pattern; nullptr when it has none.
inline const sdk::Route* find_route(const LoadedPlugin& plugin, sdk::Method method,
                                    std::string_view pattern) {
  const auto& routes = plugin.contributions().routes;
  auto found = std::ranges::find_if(routes, [&](const auto& route) {
    return route.method == method && route.pattern == pattern;
  });
  return found == routes.end() ? nullptr : &*found;
}

// For calling handlers that must not touch their context: every use throws.
class UnusableContext final : public sdk::Context {
 public:
  const sdk::SiteView& site() const override { unused(); }
  sdk::TenantStore& store() override { unused(); }
  sdk::Logger& log() override { unused(); }
  const sdk::Clock& clock() const override { unused(); }
  std::string text(std::string_view) const override { unused(); }
  const sdk::Member* member() const override { unused(); }
  bool entitled(std::string_view) const override { unused(); }
  std::string stage() const override { unused(); }
  std::string render_page(std::string_view, const sdk::Json&) override { unused(); }
  sdk::Money& money() override { unused(); }
  std::vector<std::string> tags_of(std::string_view) override { unused(); }
  bool set_tag(std::string_view, std::string_view, bool) override { unused(); }
  std::vector<std::string> members_tagged(std::string_view, int) override { unused(); }

 private:
  [[noreturn]] static void unused() { throw std::logic_error("the handler used its context"); }
};

}  // namespace tribe::kernel::plugins::test_support
