#pragma once
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/sdk/plugin.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::plugins {

// What a plugin gave the Registry in register_with().
struct Contributions {
  std::vector<sdk::CommunityType> community_types;
  std::optional<sdk::Schema> config_schema;
  std::vector<sdk::Migration> migrations;
  std::map<std::string, std::string> templates;  // name -> mustache
  std::map<std::string, std::string> messages;   // locale -> flat YAML catalogue
  std::vector<sdk::Route> routes;
  std::vector<sdk::SiteHook> site_hooks;
  std::vector<std::pair<std::string, sdk::EventHandler>> event_handlers;       // topic, handler
  std::vector<std::pair<std::chrono::seconds, sdk::SiteHook>> periodic_hooks;  // interval, hook
  std::vector<std::pair<std::string, sdk::FunnelStep>> funnel_steps;           // name, count
  sdk::SectionCheck section_check;  // empty: the schema says it all
};

// The manifest, copied out of the library.
struct PluginInfo {
  std::string name;
  std::string version;
  std::string description;
  std::string abi_tag;
  int abi_major = 0;
  int abi_minor = 0;
  std::vector<std::string> community_types;
  std::filesystem::path file;
};

// A plugin that passed every check. Holds its shared library: the library stays loaded as long as
// this object (and so every handler it contributed) lives. Handlers and hooks are plugin code: a
// caller that copies one out of contributions() keeps a shared_ptr<const LoadedPlugin> beside it.
class LoadedPlugin {
 public:
  virtual ~LoadedPlugin() = default;
  virtual const PluginInfo& info() const = 0;
  virtual const Contributions& contributions() const = 0;
};

struct Refusal {
  std::string plugin;  // the manifest's name, or the file's stem when there is no readable manifest
  std::filesystem::path file;
  std::string reason;  // names both versions when it is a version mismatch

  // "plugin 'name' (path/to/file.so) refused: reason"
  std::string to_string() const;
};

// Loads plugins with Boost.DLL, checks each manifest against this kernel's SDK ABI, and calls its
// register_with() with every exception contained. A refused plugin never stops the others.
class PluginHost {
 public:
  PluginHost();
  ~PluginHost();

  // Every *.so in `dir`, in name order. A missing directory is a refusal-free no-op that returns
  // false.
  bool load_directory(const std::filesystem::path& dir);
  // One library; returns true when it was loaded.
  bool load_file(const std::filesystem::path& file);

  const std::vector<std::shared_ptr<const LoadedPlugin>>& loaded() const { return loaded_; }
  const std::vector<Refusal>& refused() const { return refused_; }
  std::shared_ptr<const LoadedPlugin> find(std::string_view name) const;

 private:
  std::vector<std::shared_ptr<const LoadedPlugin>> loaded_;
  std::vector<Refusal> refused_;
};

}  // namespace tribe::kernel::plugins
