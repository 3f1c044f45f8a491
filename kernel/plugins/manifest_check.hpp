#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/plugins/plugin_host.hpp"
#include "tribe/sdk/manifest.hpp"

namespace tribe::kernel::plugins {

// Copies a manifest out of its library; missing strings become empty.
PluginInfo read_manifest(const sdk::Manifest& manifest, const std::filesystem::path& file);

// Why this kernel cannot run a plugin built as `info` says (SDK ABI or C++ ABI), or nothing.
std::optional<std::string> abi_mismatch(const PluginInfo& info);

// Why `name` cannot name a plugin, or nothing: [a-z][a-z0-9_-]*, as it keys a site YAML section.
std::optional<std::string> invalid_name(std::string_view name);

}  // namespace tribe::kernel::plugins
