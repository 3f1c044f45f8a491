// Built with another C++ ABI (compiler or standard library); manifest written by hand.
#include <cstdlib>
#include <memory>

#include "tribe/sdk/plugin.hpp"

extern "C" BOOST_SYMBOL_EXPORT const tribe::sdk::Manifest tribe_manifest_v1;
extern "C" const tribe::sdk::Manifest tribe_manifest_v1 = {"fixture_abi_tag",
                                                           "1.0.0",
                                                           tribe::sdk::kAbiMajor,
                                                           tribe::sdk::kAbiMinor,
                                                           "",
                                                           "fixture/other-stdlib",
                                                           "A plugin the kernel must refuse"};

namespace {
// Never called: the host refuses on the manifest alone, before any plugin code runs.
std::unique_ptr<tribe::sdk::Plugin> make_plugin() {
  std::abort();
}
}  // namespace

BOOST_DLL_ALIAS(make_plugin, tribe_plugin_factory_v1)
