// Provides the community type "fixture", which fixture_hello (loaded first) already provides.
#include "tribe/sdk/plugin.hpp"

namespace {

class ClashPlugin final : public tribe::sdk::Plugin {
 public:
  void register_with(tribe::sdk::Registry& registry) override {
    registry.add_community_type({"fixture", "The same type again"});
  }
};

}  // namespace

TRIBE_PLUGIN(ClashPlugin, "fixture_type_clash", "1.0.0", "fixture", "A second 'fixture' type")
