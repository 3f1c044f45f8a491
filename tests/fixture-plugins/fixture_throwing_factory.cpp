// A plugin whose construction fails: the factory throws.
#include <stdexcept>

#include "tribe/sdk/plugin.hpp"

namespace {

class MoodyPlugin final : public tribe::sdk::Plugin {
 public:
  MoodyPlugin() { throw std::runtime_error("database of moods unavailable"); }
  void register_with(tribe::sdk::Registry&) override {}
};

}  // namespace

TRIBE_PLUGIN(MoodyPlugin, "fixture_throwing_factory", "1.0.0", "", "A factory that throws")
