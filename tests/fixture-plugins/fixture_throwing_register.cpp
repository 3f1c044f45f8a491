// A plugin that registers a route and then throws from register_with: the host must refuse it and
// drop the half-made contributions before it unloads the library.
#include <stdexcept>

#include "tribe/sdk/plugin.hpp"

namespace {

class HalfwayPlugin final : public tribe::sdk::Plugin {
 public:
  void register_with(tribe::sdk::Registry& registry) override {
    registry.add_route(
        {tribe::sdk::Method::Get, "/halfway", [](const tribe::sdk::Request&, tribe::sdk::Context&) {
           return tribe::sdk::Response::html("never served");
         }});
    throw std::runtime_error("settings table missing");
  }
};

}  // namespace

TRIBE_PLUGIN(HalfwayPlugin, "fixture_throwing_register", "1.0.0", "", "register_with throws")
