// A plugin as a third party writes it: built out of tree against the installed SDK.
#include <tribe/sdk/sdk.hpp>

namespace {

class HelloTribe final : public tribe::sdk::Plugin {
 public:
  void register_with(tribe::sdk::Registry& registry) override {
    tribe::sdk::register_bundled_files(registry);
    registry.add_route({tribe::sdk::Method::Get, "/hello-tribe",
                        [](const tribe::sdk::Request&, tribe::sdk::Context& context) {
                          return tribe::sdk::Response::html(context.render_page("hello", {}));
                        }});
  }
};

}  // namespace

TRIBE_PLUGIN(HelloTribe, "hello_tribe", "0.1.0", "", "A plugin built against the installed SDK")
