#pragma once
// Files a plugin ships inside its .so: `tribe_add_plugin` embeds its migrations/, templates/ and
// messages/ folders and defines bundled_files() for it.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "tribe/sdk/registry.hpp"

namespace tribe::sdk {

struct BundledFile {
  const char* path;  // relative to the plugin folder: "templates/home.mustache"
  const char* data;
  std::size_t size;
};

// Defined by the code tribe_add_plugin generates; hidden, so each plugin sees its own.
std::span<const BundledFile> bundled_files();

// migrations/NNN_name.sql -> migration NNN; templates/NAME.mustache -> template NAME;
// messages/LOCALE.yaml -> catalogue LOCALE.
inline void register_bundled_files(Registry& registry, std::span<const BundledFile> files) {
  for (const BundledFile& file : files) {
    std::string_view path(file.path);
    std::string content(file.data, file.size);
    auto slash = path.find('/');
    auto dot = path.rfind('.');
    if (slash == std::string_view::npos || dot == std::string_view::npos || dot < slash) continue;
    std::string_view folder = path.substr(0, slash);
    std::string stem(path.substr(slash + 1, dot - slash - 1));
    if (folder == "migrations") {
      auto underscore = stem.find('_');
      registry.add_migration(
          Migration{std::stoi(stem.substr(0, underscore)),
                    underscore == std::string::npos ? stem : stem.substr(underscore + 1),
                    std::move(content)});
    } else if (folder == "templates") {
      registry.add_template(stem, std::move(content));
    } else if (folder == "messages") {
      registry.add_messages(stem, std::move(content));
    }
  }
}

// This plugin's own files.
inline void register_bundled_files(Registry& registry) {
  register_bundled_files(registry, bundled_files());
}

}  // namespace tribe::sdk
