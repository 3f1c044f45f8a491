#pragma once
#include "tribe/sdk/abi.hpp"

namespace tribe::sdk {

// Plain C layout on purpose: the kernel reads it before running any plugin code, and a plugin
// built against another SDK major must still be readable enough to be refused by name.
struct Manifest {
  const char* name;             // lower-case identifier; also the key of its site YAML section
  const char* version;          // the plugin's own version, semver
  int abi_major;                // kAbiMajor the plugin was built with
  int abi_minor;                // kAbiMinor the plugin was built with
  const char* community_types;  // comma-separated community types it provides; may be empty
  const char* abi_tag;          // TRIBE_SDK_ABI_TAG the plugin was built with
  const char* description;      // one line for `tribe plugins`
};

// Exported symbol names. They name the layout of Manifest and the factory signature, not the
// SDK ABI, so that a kernel can read and refuse a plugin of any ABI major.
inline constexpr const char* kManifestSymbol = "tribe_manifest_v1";
inline constexpr const char* kFactorySymbol = "tribe_plugin_factory_v1";

}  // namespace tribe::sdk
