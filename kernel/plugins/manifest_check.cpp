#include "kernel/plugins/manifest_check.hpp"

#include <algorithm>

#include "tribe/sdk/abi.hpp"

namespace tribe::kernel::plugins {
namespace {

std::string text(const char* value) {
  return value ? std::string(value) : std::string();
}

std::string trimmed(std::string_view value) {
  auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  auto last = value.find_last_not_of(" \t");
  return std::string(value.substr(first, last - first + 1));
}

std::vector<std::string> comma_list(std::string_view list) {
  std::vector<std::string> items;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string item = trimmed(list.substr(0, comma));
    if (!item.empty()) items.push_back(std::move(item));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return items;
}

std::string version(int major, int minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

PluginInfo read_manifest(const sdk::Manifest& manifest, const std::filesystem::path& file) {
  PluginInfo info;
  info.name = text(manifest.name);
  info.version = text(manifest.version);
  info.description = text(manifest.description);
  info.abi_tag = text(manifest.abi_tag);
  info.abi_major = manifest.abi_major;
  info.abi_minor = manifest.abi_minor;
  info.community_types = comma_list(text(manifest.community_types));
  info.file = file;
  return info;
}

std::optional<std::string> abi_mismatch(const PluginInfo& info) {
  const std::string built = version(info.abi_major, info.abi_minor);
  const std::string kernel = version(sdk::kAbiMajor, sdk::kAbiMinor);
  if (info.abi_major != sdk::kAbiMajor) {
    return "built for SDK ABI " + built + " but this kernel provides " + kernel +
           " (major versions must match); rebuild it against this SDK";
  }
  if (info.abi_minor > sdk::kAbiMinor) {
    return "built for SDK ABI " + built + ", newer than this kernel's " + kernel +
           "; upgrade Tribe or rebuild the plugin";
  }
  if (info.abi_tag != TRIBE_SDK_ABI_TAG) {
    return "built with C++ ABI '" + info.abi_tag +
           "' but the kernel uses '" TRIBE_SDK_ABI_TAG
           "'; rebuild it with the kernel's compiler and standard library";
  }
  return std::nullopt;
}

std::optional<std::string> invalid_name(std::string_view name) {
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  if (name.empty()) return "its manifest has an empty name";
  if (name.front() < 'a' || name.front() > 'z' || !std::ranges::all_of(name, allowed)) {
    return "its manifest name '" + std::string(name) +
           "' is not a plugin name: a lower-case letter, then a-z, 0-9, '_' or '-'";
  }
  return std::nullopt;
}

}  // namespace tribe::kernel::plugins
