// The composition root with real plugins (.so) and a real SQLite file: which plugins serve which
// site, and how errors inside a site are answered.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kernel/instance/instance.hpp"

namespace tribe::kernel::instance {
namespace {

namespace fs = std::filesystem;

class InstanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tribe-instance-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sites");
    site("lab",
         "id: lab\nname: Lab\ntype: fixture\nlocale: en\nhosts: [lab.localhost]\n"
         "fixture_hello:\n  greeting: Hi from the lab\n");
    site("club", "id: club\nname: Club\ntype: interest\nlocale: en\nhosts: [club.localhost]\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void site(const std::string& id, const std::string& yaml) {
    std::ofstream(dir_ / "sites" / (id + ".yaml")) << yaml;
  }

  std::unique_ptr<Instance> start() {
    InstanceOptions options;
    options.sites_dir = dir_ / "sites";
    options.plugin_dirs = {TRIBE_PLUGIN_DIR, TRIBE_FIXTURE_PLUGIN_DIR};
    options.database_url = "sqlite:" + (dir_ / "tribe.db").string();
    options.log = &log_;
    auto instance = std::make_unique<Instance>(options);
    instance->load_plugins();
    instance->load_sites();
    instance->prepare_storage();
    instance->mount_routes();
    return instance;
  }

  sdk::Response get(Instance& instance, const std::string& host, const std::string& path) {
    sdk::Request request;
    request.path = path;
    request.request_id = "rid-1";
    return instance.handle(request, host);
  }

  fs::path dir_;
  std::ostringstream log_;
};

TEST_F(InstanceTest, EachSiteGetsThePluginsOfItsTypeOnly) {
  auto instance = start();
  EXPECT_EQ(get(*instance, "lab.localhost", "/hello").status, 200);
  EXPECT_EQ(get(*instance, "club.localhost", "/hello").status, 404);
  EXPECT_EQ(get(*instance, "club.localhost", "/api/posts").status, 200);
  EXPECT_EQ(get(*instance, "lab.localhost", "/api/posts").status, 404);
}

TEST_F(InstanceTest, APluginSectionEnablesThePluginOnAnotherType) {
  site("club",
       "id: club\nname: Club\ntype: interest\nhosts: [club.localhost]\n"
       "fixture_hello:\n  greeting: Hello club\n");
  auto instance = start();
  auto page = get(*instance, "club.localhost", "/hello");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Hello club"), std::string::npos) << page.body;
  EXPECT_EQ(get(*instance, "club.localhost", "/api/posts").status, 200);
}

TEST_F(InstanceTest, PluginSeesOnlyItsOwnSectionOfItsOwnSite) {
  auto instance = start();
  auto page = get(*instance, "lab.localhost", "/hello");
  EXPECT_NE(page.body.find("Hi from the lab"), std::string::npos) << page.body;
}

TEST_F(InstanceTest, UnknownPathIsAThemed404AndJsonUnderApi) {
  auto instance = start();
  auto page = get(*instance, "club.localhost", "/nowhere");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("<html"), std::string::npos);
  EXPECT_NE(page.body.find("rid-1"), std::string::npos);
  auto api = get(*instance, "club.localhost", "/api/nowhere");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(sdk::Json::parse(api.body)["error"]["request_id"], "rid-1");
}

TEST_F(InstanceTest, WrongMethodIs405) {
  auto instance = start();
  sdk::Request request;
  request.method = sdk::Method::Post;
  request.path = "/api/posts";
  EXPECT_EQ(instance->handle(request, "club.localhost").status, 405);
}

TEST_F(InstanceTest, ThrowingPluginGives500AndIsLoggedWithPluginSiteAndRequest) {
  auto instance = start();
  auto boom = get(*instance, "lab.localhost", "/api/boom");
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(sdk::Json::parse(boom.body)["error"]["request_id"], "rid-1");
  EXPECT_EQ(boom.body.find("boom\""), std::string::npos) << "the exception text stays in the log";
  EXPECT_NE(log_.str().find("plugin=fixture_hello site=lab request_id=rid-1"), std::string::npos)
      << log_.str();
  EXPECT_EQ(get(*instance, "lab.localhost", "/hello").status, 200);
}

TEST_F(InstanceTest, BadSiteIsLeftOutWhileTheOthersServe) {
  site("broken", "id: broken\nname: Broken\ntype: interest\nnmae: typo\n");
  auto instance = start();
  ASSERT_EQ(instance->diagnostics().size(), 1u);
  EXPECT_NE(instance->diagnostics()[0].message.find("did you mean 'name'"), std::string::npos);
  EXPECT_EQ(instance->site_configs().size(), 2u);
  EXPECT_EQ(get(*instance, "127.0.0.1", "/s/broken/").status, 404);
  EXPECT_EQ(get(*instance, "club.localhost", "/").status, 200);
}

TEST_F(InstanceTest, PluginWhoseMigrationIsRefusedIsSwitchedOffWhileTheOthersServe) {
  site("bad", "id: bad\nname: Bad\ntype: badmigration\nhosts: [bad.localhost]\n");
  InstanceOptions options;
  options.sites_dir = dir_ / "sites";
  options.plugin_dirs = {TRIBE_PLUGIN_DIR, TRIBE_FIXTURE_PLUGIN_DIR,
                         std::string(TRIBE_BINARY_DIR) + "/tests/fixture-plugins-bad-migration"};
  options.database_url = "sqlite:" + (dir_ / "tribe.db").string();
  options.log = &log_;
  Instance instance(options);
  instance.load_plugins();
  instance.load_sites();
  ASSERT_TRUE(instance.diagnostics().empty());
  instance.prepare_storage();
  instance.mount_routes();

  ASSERT_EQ(instance.warnings().size(), 1u);
  EXPECT_NE(instance.warnings()[0].find("plugin 'fixture_bad_migration' switched off"),
            std::string::npos)
      << instance.warnings()[0];
  EXPECT_NE(instance.warnings()[0].find("tenant_id"), std::string::npos) << instance.warnings()[0];
  EXPECT_EQ(get(instance, "bad.localhost", "/api/bad").status, 404);
  EXPECT_EQ(get(instance, "club.localhost", "/api/posts").status, 200);
  EXPECT_EQ(get(instance, "lab.localhost", "/hello").status, 200);
}

TEST_F(InstanceTest, RecordsTenantsAndHealthz) {
  auto instance = start();
  soci::session session(instance->database()->pool());
  std::vector<std::string> tenants(10);
  session << "SELECT tenant_id FROM tribe_tenants ORDER BY tenant_id", soci::into(tenants);
  EXPECT_EQ(tenants, (std::vector<std::string>{"club", "lab"}));

  sdk::Request health;
  health.path = "/healthz";
  EXPECT_EQ(instance->handle(health, "anything.example").status, 200);
}

}  // namespace
}  // namespace tribe::kernel::instance
