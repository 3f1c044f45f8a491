#pragma once
#include <functional>
#include <memory>
#include <string>

#include "kernel/plugins/plugin_host.hpp"

namespace tribe::kernel::plugins {

// A kernel feature (sign-up and log-in pages, checkout) contributed through the same Registry as a
// plugin, so it is routed, rendered, translated and contained the same way. It has no library and
// is enabled on every site. Throws RegistryError when `register_with` misuses the registry.
std::shared_ptr<const LoadedPlugin> make_builtin_plugin(
    const std::string& name, const std::string& description,
    const std::function<void(sdk::Registry&)>& register_with);

}  // namespace tribe::kernel::plugins
