// plugin_probe <plugin.so or folder>...: what PluginHost makes of them. Exit status 1 when any
// plugin was refused or none loaded.
#include <filesystem>
#include <iostream>

#include "kernel/plugins/plugin_host.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: plugin_probe <plugin.so or folder>...\n";
    return 2;
  }
  tribe::kernel::plugins::PluginHost host;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path path(argv[i]);
    if (std::filesystem::is_directory(path)) {
      host.load_directory(path);
    } else {
      host.load_file(path);
    }
  }
  for (const auto& plugin : host.loaded()) {
    const auto& info = plugin->info();
    std::cout << "loaded " << info.name << " " << info.version << " (" << info.file.string()
              << ")\n";
  }
  for (const auto& refusal : host.refused()) std::cout << refusal.to_string() << "\n";
  return host.refused().empty() && !host.loaded().empty() ? 0 : 1;
}
