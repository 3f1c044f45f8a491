#pragma once
// For fixtures the host must refuse on their manifest alone: TRIBE_PLUGIN always writes this
// SDK's own values, so these write the manifest by hand, as a plugin built elsewhere would.
#include <cstdlib>
#include <memory>

#include "tribe/sdk/plugin.hpp"

#define TRIBE_FIXTURE_REFUSED_ON_MANIFEST(name, abi_major, abi_minor, abi_tag)              \
  extern "C" BOOST_SYMBOL_EXPORT const tribe::sdk::Manifest tribe_manifest_v1;              \
  extern "C" const tribe::sdk::Manifest tribe_manifest_v1 = {                               \
      name, "1.0.0", abi_major, abi_minor, "", abi_tag, "A plugin the kernel must refuse"}; \
  namespace {                                                                               \
  /* Never called: the host refuses on the manifest before any plugin code runs. */         \
  std::unique_ptr<tribe::sdk::Plugin> make_plugin() {                                       \
    std::abort();                                                                           \
  }                                                                                         \
  }                                                                                         \
  BOOST_DLL_ALIAS(make_plugin, tribe_plugin_factory_v1)
