#include "kernel/plugins/plugin_host.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "kernel/plugins/manifest_check.hpp"
#include "kernel/plugins/registry_recorder.hpp"
#include "tribe/sdk/manifest.hpp"

namespace tribe::kernel::plugins {
namespace fs = std::filesystem;
namespace {

// Why a library is not loaded; load_file records it as a Refusal.
class Refused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A plugin and its library. Everything taken out of the library (the plugin object, handlers and
// hooks in the contributions) is plugin code, so members are declared library first: C++ destroys
// them in reverse order and the library is unloaded last. A caller that copies a handler or hook
// out of contributions() keeps a shared_ptr<const LoadedPlugin> beside the copy.
class LibraryPlugin final : public LoadedPlugin {
 public:
  explicit LibraryPlugin(const fs::path& file) : file_(file) { open(); }

  const PluginInfo& info() const override { return info_; }
  const Contributions& contributions() const override { return contributions_; }

  // Copies the manifest out; runs no plugin code.
  const PluginInfo& read_manifest() {
    if (!library_.has(sdk::kManifestSymbol)) {
      throw Refused(std::string("no Tribe manifest (symbol ") + sdk::kManifestSymbol +
                    "); is this a Tribe plugin built with TRIBE_PLUGIN?");
    }
    info_ = plugins::read_manifest(library_.get<const sdk::Manifest>(sdk::kManifestSymbol), file_);
    return info_;
  }

  // Creates the plugin object and lets it fill the contributions, containing every exception.
  void start() {
    if (!library_.has(sdk::kFactorySymbol)) {
      throw Refused(std::string("no factory symbol ") + sdk::kFactorySymbol +
                    "; declare the plugin with TRIBE_PLUGIN");
    }
    // The factory is a Boost.DLL alias (a pointer to the function), not the function itself.
    auto& factory = library_.get_alias<sdk::PluginFactory>(sdk::kFactorySymbol);
    contained("factory", [&] { plugin_ = factory(); });
    if (!plugin_) throw Refused("factory returned no plugin (a null pointer)");
    RegistryRecorder registry(contributions_);
    contained("register_with", [&] { plugin_->register_with(registry); });
  }

 private:
  void open() {
    std::error_code error;
    library_.load(file_, error, boost::dll::load_mode::rtld_now);
    if (error) {
      const char* detail = dlerror();  // Boost.DLL leaves the loader's own words here
      throw Refused("cannot load library: " + (detail ? std::string(detail) : error.message()));
    }
  }

  // Runs plugin code; what it throws is read while the library is still loaded.
  template <typename Call>
  static void contained(const std::string& step, Call call) {
    try {
      call();
    } catch (const std::exception& thrown) {
      throw Refused(step + " threw: " + thrown.what());
    } catch (...) {
      throw Refused(step + " threw something that is not a std::exception");
    }
  }

  fs::path file_;
  boost::dll::shared_library library_;  // first: destroyed last
  PluginInfo info_;
  std::unique_ptr<sdk::Plugin> plugin_;
  Contributions contributions_;
};

std::vector<std::string> provided_types(const LoadedPlugin& plugin) {
  std::vector<std::string> types = plugin.info().community_types;
  for (const auto& type : plugin.contributions().community_types) types.push_back(type.name);
  return types;
}

// Refuses a plugin whose name or community types a loaded plugin already has.
void check_unique(const std::vector<std::shared_ptr<const LoadedPlugin>>& loaded,
                  const LoadedPlugin& candidate) {
  const PluginInfo& info = candidate.info();
  for (const auto& other : loaded) {
    if (other->info().name == info.name) {
      throw Refused("a plugin named '" + info.name + "' is already loaded from " +
                    other->info().file.string());
    }
    std::vector<std::string> theirs = provided_types(*other);
    for (const std::string& type : provided_types(candidate)) {
      if (std::ranges::find(theirs, type) != theirs.end()) {
        throw Refused("community type '" + type + "' is already provided by plugin '" +
                      other->info().name + "' (" + other->info().file.string() +
                      "); load only one of them");
      }
    }
  }
}

}  // namespace

std::string Refusal::to_string() const {
  return "plugin '" + plugin + "' (" + file.string() + ") refused: " + reason;
}

PluginHost::PluginHost() = default;
PluginHost::~PluginHost() = default;

bool PluginHost::load_directory(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) return false;
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".so") files.push_back(entry.path());
  }
  std::ranges::sort(files);
  for (const fs::path& file : files) load_file(file);
  return true;
}

bool PluginHost::load_file(const fs::path& file) {
  std::string name = file.stem().string();
  try {
    auto plugin = std::make_shared<LibraryPlugin>(file);
    const PluginInfo& info = plugin->read_manifest();
    if (!info.name.empty()) name = info.name;
    if (auto mismatch = abi_mismatch(info)) throw Refused(*mismatch);
    if (auto invalid = invalid_name(info.name)) throw Refused(*invalid);
    check_unique(loaded_, *plugin);  // before any plugin code runs, on the manifest alone
    plugin->start();
    check_unique(loaded_, *plugin);  // again, with the types register_with added
    loaded_.push_back(std::move(plugin));
    return true;
  } catch (const Refused& refused) {
    refused_.push_back(Refusal{name, file, refused.what()});
    return false;
  }
}

std::shared_ptr<const LoadedPlugin> PluginHost::find(std::string_view name) const {
  auto found = std::ranges::find_if(
      loaded_, [&](const auto& plugin) { return plugin->info().name == name; });
  return found == loaded_.end() ? nullptr : *found;
}

}  // namespace tribe::kernel::plugins
