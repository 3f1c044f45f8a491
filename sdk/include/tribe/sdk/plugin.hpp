#pragma once
#include <boost/dll/alias.hpp>
#include <memory>

#include "tribe/sdk/manifest.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::sdk {

// A plugin contributes everything it does through the registry, once, at load.
class TRIBE_SDK_API Plugin {
 public:
  virtual ~Plugin() = default;
  virtual void register_with(Registry& registry) = 0;
};

using PluginFactory = std::unique_ptr<Plugin>();

}  // namespace tribe::sdk

// Exports the manifest and the factory of PluginClass. Use once per plugin, in plugin.cpp:
//   TRIBE_PLUGIN(ReadingPlugin, "interest", "1.0.0", "interest", "Interest communities")
#define TRIBE_PLUGIN(PluginClass, name, version, community_types, description)          \
  extern "C" BOOST_SYMBOL_EXPORT const ::tribe::sdk::Manifest tribe_manifest_v1;        \
  extern "C" const ::tribe::sdk::Manifest tribe_manifest_v1 = {name,                    \
                                                               version,                 \
                                                               ::tribe::sdk::kAbiMajor, \
                                                               ::tribe::sdk::kAbiMinor, \
                                                               community_types,         \
                                                               TRIBE_SDK_ABI_TAG,       \
                                                               description};            \
  namespace {                                                                           \
  std::unique_ptr<::tribe::sdk::Plugin> tribe_make_plugin() {                           \
    return std::make_unique<PluginClass>();                                             \
  }                                                                                     \
  }                                                                                     \
  BOOST_DLL_ALIAS(tribe_make_plugin, tribe_plugin_factory_v1)
