// A second plugin named "fixture_hello". Its file name sorts after fixture_hello.so, so the host
// loads the original first and refuses this one.
#include "tribe/sdk/plugin.hpp"

namespace {

class ImpostorPlugin final : public tribe::sdk::Plugin {
 public:
  void register_with(tribe::sdk::Registry&) override {}
};

}  // namespace

TRIBE_PLUGIN(ImpostorPlugin, "fixture_hello", "2.0.0", "", "Another plugin named fixture_hello")
