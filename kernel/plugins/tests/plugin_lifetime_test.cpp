// The library of a plugin stays loaded while anything from it lives, and is unloaded after.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <memory>

#include "kernel/plugins/plugin_host.hpp"
#include "kernel/plugins/tests/fixture_plugins.hpp"

namespace tribe::kernel::plugins {
namespace {

using test_support::find_route;
using test_support::fixture;

// Asks the dynamic loader without loading: RTLD_NOLOAD only finds a library already mapped.
bool is_mapped(const std::filesystem::path& file) {
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  dlclose(handle);
  return true;
}

TEST(PluginLifetime, HandlerRunsAfterTheHostIsGoneWhileItsPluginIsHeld) {
  const auto file = fixture("fixture_hello");
  ASSERT_FALSE(is_mapped(file));
  std::shared_ptr<const LoadedPlugin> plugin;
  sdk::Handler handler;
  {
    PluginHost host;
    ASSERT_TRUE(host.load_file(file));
    plugin = host.find("fixture_hello");
    handler = find_route(*plugin, sdk::Method::Get, "/api/hello/{name}")->handler;
  }
  ASSERT_TRUE(is_mapped(file));

  sdk::Request request;
  request.params["name"] = "lin";
  test_support::UnusableContext context;
  EXPECT_EQ(handler(request, context).body, R"({"hello":"lin"})");

  handler = nullptr;  // plugin code: released before the plugin that holds its library
  plugin.reset();
  EXPECT_FALSE(is_mapped(file));
}

TEST(PluginLifetime, RefusedPluginsAreUnloaded) {
  PluginHost host;
  EXPECT_FALSE(host.load_file(fixture("fixture_throwing_register")));
  EXPECT_FALSE(host.load_file(fixture("fixture_abi_major")));
  EXPECT_FALSE(is_mapped(fixture("fixture_throwing_register")));
  EXPECT_FALSE(is_mapped(fixture("fixture_abi_major")));
}

}  // namespace
}  // namespace tribe::kernel::plugins
