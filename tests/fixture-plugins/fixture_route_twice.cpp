// A plugin that registers the same route twice: the registry's error becomes a refusal.
#include "tribe/sdk/plugin.hpp"

namespace {

tribe::sdk::Response page(const tribe::sdk::Request&, tribe::sdk::Context&) {
  return tribe::sdk::Response::html("twice");
}

class TwicePlugin final : public tribe::sdk::Plugin {
 public:
  void register_with(tribe::sdk::Registry& registry) override {
    registry.add_route({tribe::sdk::Method::Post, "/twice", &page});
    registry.add_route({tribe::sdk::Method::Post, "/twice", &page});
  }
};

}  // namespace

TRIBE_PLUGIN(TwicePlugin, "fixture_route_twice", "1.0.0", "", "Registers a route twice")
