#include "kernel/plugins/builtin_plugin.hpp"

#include "kernel/plugins/registry_recorder.hpp"

namespace tribe::kernel::plugins {
namespace {

class BuiltinPlugin final : public LoadedPlugin {
 public:
  BuiltinPlugin(const std::string& name, const std::string& description,
                const std::function<void(sdk::Registry&)>& register_with) {
    info_.name = name;
    info_.version = TRIBE_VERSION;
    info_.description = description;
    info_.abi_tag = TRIBE_SDK_ABI_TAG;
    info_.abi_major = sdk::kAbiMajor;
    info_.abi_minor = sdk::kAbiMinor;
    info_.file = "(built into the kernel)";
    RegistryRecorder registry(contributions_);
    register_with(registry);
  }

  const PluginInfo& info() const override { return info_; }
  const Contributions& contributions() const override { return contributions_; }

 private:
  PluginInfo info_;
  Contributions contributions_;
};

}  // namespace

std::shared_ptr<const LoadedPlugin> make_builtin_plugin(
    const std::string& name, const std::string& description,
    const std::function<void(sdk::Registry&)>& register_with) {
  return std::make_shared<BuiltinPlugin>(name, description, register_with);
}

}  // namespace tribe::kernel::plugins
