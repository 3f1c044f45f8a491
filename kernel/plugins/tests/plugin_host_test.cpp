#include "kernel/plugins/plugin_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "kernel/plugins/tests/fixture_plugins.hpp"
#include "tribe/sdk/abi.hpp"

namespace tribe::kernel::plugins {
namespace {

using test_support::find_route;
using test_support::fixture;
using test_support::fixture_dir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string version(int major, int minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path hello_source(const std::string& file) {
  return std::filesystem::path(TRIBE_SOURCE_DIR) / "tests/fixture-plugins/hello" / file;
}

class FixtureDirectory : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(host.load_directory(fixture_dir())); }

  std::map<std::string, Refusal> refusals_by_file() const {
    std::map<std::string, Refusal> by_file;
    for (const Refusal& refusal : host.refused()) by_file.emplace(refusal.file.stem(), refusal);
    return by_file;
  }

  PluginHost host;
};

TEST_F(FixtureDirectory, LoadsOnlyTheGoodPlugin) {
  ASSERT_EQ(host.loaded().size(), 1u);
  EXPECT_EQ(host.loaded()[0]->info().name, "fixture_hello");
  EXPECT_EQ(host.find("fixture_hello"), host.loaded()[0]);
  EXPECT_EQ(host.find("fixture_type_clash"), nullptr);
}

TEST_F(FixtureDirectory, RefusesEachBrokenPluginNamingItsFileAndReason) {
  const std::string kernel_abi = version(sdk::kAbiMajor, sdk::kAbiMinor);
  const std::string hello_file = fixture("fixture_hello").string();
  struct Expected {
    std::string plugin;
    std::string reason;
  };
  const std::map<std::string, Expected> expected = {
      {"fixture_abi_major",
       {"fixture_abi_major", "built for SDK ABI " + version(sdk::kAbiMajor + 1, sdk::kAbiMinor) +
                                 " but this kernel provides " + kernel_abi +
                                 " (major versions must match); rebuild it against this SDK"}},
      {"fixture_abi_minor",
       {"fixture_abi_minor", "built for SDK ABI " + version(sdk::kAbiMajor, sdk::kAbiMinor + 1) +
                                 ", newer than this kernel's " + kernel_abi +
                                 "; upgrade Tribe or rebuild the plugin"}},
      {"fixture_abi_tag",
       {"fixture_abi_tag",
        "built with C++ ABI 'fixture/other-stdlib' but the kernel uses '" TRIBE_SDK_ABI_TAG
        "'; rebuild it with the kernel's compiler and standard library"}},
      {"fixture_bad_name",
       {"Fixture Bad Name",
        "its manifest name 'Fixture Bad Name' is not a plugin name: a lower-case letter, then "
        "a-z, 0-9, '_' or '-'"}},
      {"fixture_no_factory",
       {"fixture_no_factory",
        "no factory symbol tribe_plugin_factory_v1; declare the plugin with TRIBE_PLUGIN"}},
      {"fixture_not_a_plugin",
       {"fixture_not_a_plugin",
        "no Tribe manifest (symbol tribe_manifest_v1); is this a Tribe plugin built with "
        "TRIBE_PLUGIN?"}},
      {"fixture_throwing_factory",
       {"fixture_throwing_factory", "factory threw: database of moods unavailable"}},
      {"fixture_throwing_register",
       {"fixture_throwing_register", "register_with threw: settings table missing"}},
      {"fixture_route_twice",
       {"fixture_route_twice", "register_with threw: route POST /twice is added twice"}},
      {"fixture_hello_duplicate",
       {"fixture_hello", "a plugin named 'fixture_hello' is already loaded from " + hello_file}},
      {"fixture_type_clash",
       {"fixture_type_clash",
        "community type 'fixture' is already provided by plugin "
        "'fixture_hello' (" +
            hello_file + "); load only one of them"}},
  };

  auto refusals = refusals_by_file();
  EXPECT_EQ(refusals.size(), expected.size());
  for (const auto& [stem, want] : expected) {
    SCOPED_TRACE(stem);
    auto found = refusals.find(stem);
    ASSERT_NE(found, refusals.end()) << "no refusal for " << stem << ".so";
    EXPECT_EQ(found->second.plugin, want.plugin);
    EXPECT_EQ(found->second.file, fixture(stem));
    EXPECT_EQ(found->second.reason, want.reason);
  }
}

TEST_F(FixtureDirectory, RefusalReadsAsOneLineNamingPluginFileAndReason) {
  auto refusal = refusals_by_file().at("fixture_throwing_factory");
  EXPECT_EQ(refusal.to_string(), "plugin 'fixture_throwing_factory' (" +
                                     fixture("fixture_throwing_factory").string() +
                                     ") refused: factory threw: database of moods unavailable");
}

TEST_F(FixtureDirectory, GoodPluginInfoIsCopiedFromItsManifest) {
  const PluginInfo& info = host.find("fixture_hello")->info();
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.description, "A good plugin for tests");
  EXPECT_EQ(info.abi_major, sdk::kAbiMajor);
  EXPECT_EQ(info.abi_minor, sdk::kAbiMinor);
  EXPECT_EQ(info.abi_tag, TRIBE_SDK_ABI_TAG);
  EXPECT_THAT(info.community_types, ElementsAre("fixture"));
  EXPECT_EQ(info.file, fixture("fixture_hello"));
}

TEST_F(FixtureDirectory, GoodPluginContributesTypeSchemaAndBundledFiles) {
  const Contributions& hello = host.find("fixture_hello")->contributions();
  ASSERT_EQ(hello.community_types.size(), 1u);
  EXPECT_EQ(hello.community_types[0].name, "fixture");

  ASSERT_TRUE(hello.config_schema.has_value());
  EXPECT_EQ(hello.config_schema->type(), sdk::Schema::Type::Object);
  const auto& fields = hello.config_schema->fields();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].key, "greeting");
  EXPECT_TRUE(fields[0].required);
  EXPECT_EQ(fields[1].key, "style");
  EXPECT_FALSE(fields[1].required);
  EXPECT_THAT(fields[1].schema.allowed(), ElementsAre("plain", "loud"));

  ASSERT_EQ(hello.migrations.size(), 1u);
  EXPECT_EQ(hello.migrations[0].version, 1);
  EXPECT_EQ(hello.migrations[0].name, "greetings");
  EXPECT_EQ(hello.migrations[0].sql, file_text(hello_source("migrations/001_greetings.sql")));
  EXPECT_THAT(hello.migrations[0].sql, HasSubstr("CREATE TABLE fixture_hello_greetings"));

  ASSERT_EQ(hello.templates.size(), 1u);
  EXPECT_EQ(hello.templates.at("hello"), file_text(hello_source("templates/hello.mustache")));

  ASSERT_EQ(hello.messages.size(), 2u);
  EXPECT_EQ(hello.messages.at("en"), file_text(hello_source("messages/en.yaml")));
  EXPECT_EQ(hello.messages.at("zh-CN"), file_text(hello_source("messages/zh-CN.yaml")));
  EXPECT_TRUE(hello.site_hooks.empty());
}

TEST_F(FixtureDirectory, GoodPluginRoutesAnswer) {
  const LoadedPlugin& hello = *host.find("fixture_hello");
  EXPECT_EQ(hello.contributions().routes.size(), 3u);
  EXPECT_NE(find_route(hello, sdk::Method::Get, "/hello"), nullptr);

  const sdk::Route* greeting = find_route(hello, sdk::Method::Get, "/api/hello/{name}");
  ASSERT_NE(greeting, nullptr);
  sdk::Request request;
  request.path = "/api/hello/ada";
  request.params["name"] = "ada";
  test_support::UnusableContext context;
  sdk::Response response = greeting->handler(request, context);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"hello":"ada"})");

  const sdk::Route* boom = find_route(hello, sdk::Method::Get, "/api/boom");
  ASSERT_NE(boom, nullptr);
  try {
    boom->handler(request, context);
    ADD_FAILURE() << "/api/boom answered instead of throwing";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "boom");
  }
}

TEST(PluginHost, MissingDirectoryIsNotAnError) {
  PluginHost host;
  EXPECT_FALSE(host.load_directory(fixture_dir() / "no-such-folder"));
  EXPECT_TRUE(host.loaded().empty());
  EXPECT_TRUE(host.refused().empty());
}

TEST(PluginHost, FileThatIsNotALibraryIsRefusedWithTheLoadersWords) {
  auto file = std::filesystem::path(::testing::TempDir()) / "not-elf.so";
  std::ofstream(file) << "just text\n";
  PluginHost host;
  EXPECT_FALSE(host.load_file(file));
  ASSERT_EQ(host.refused().size(), 1u);
  EXPECT_EQ(host.refused()[0].plugin, "not-elf");
  EXPECT_EQ(host.refused()[0].file, file);
  EXPECT_THAT(host.refused()[0].reason, StartsWith("cannot load library: " + file.string()));
  std::filesystem::remove(file);
}

TEST(PluginHost, RefusedPluginDoesNotStopTheNextOne) {
  PluginHost host;
  EXPECT_FALSE(host.load_file(fixture("fixture_abi_major")));
  EXPECT_FALSE(host.load_file(fixture("fixture_throwing_register")));
  EXPECT_TRUE(host.load_file(fixture("fixture_hello")));
  EXPECT_EQ(host.refused().size(), 2u);
  ASSERT_EQ(host.loaded().size(), 1u);
}

TEST(PluginHost, TypeClashIsRefusedWhicheverLoadsSecond) {
  PluginHost host;
  EXPECT_TRUE(host.load_file(fixture("fixture_type_clash")));
  EXPECT_FALSE(host.load_file(fixture("fixture_hello")));
  ASSERT_EQ(host.refused().size(), 1u);
  EXPECT_EQ(host.refused()[0].reason,
            "community type 'fixture' is already provided by plugin 'fixture_type_clash' (" +
                fixture("fixture_type_clash").string() + "); load only one of them");
}

}  // namespace
}  // namespace tribe::kernel::plugins
