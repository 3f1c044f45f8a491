#include "plugin_instance_test.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <utility>

namespace tribe::testing {

namespace fs = std::filesystem;

PluginInstanceTest::PluginInstanceTest(std::string site) : site_(std::move(site)) {}

void PluginInstanceTest::SetUp() {
  dir_ =
      fs::temp_directory_path() / ("tribe-" + site_ + "-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir_);
  fs::create_directories(dir_ / "sites");
}

void PluginInstanceTest::TearDown() {
  fs::remove_all(dir_);
}

std::string PluginInstanceTest::shipped_site() const {
  std::ifstream in(fs::path(TRIBE_SOURCE_DIR) / "sites" / (site_ + ".yaml"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void PluginInstanceTest::write_site(const std::string& yaml) {
  std::ofstream(dir_ / "sites" / (site_ + ".yaml")) << yaml;
}

std::unique_ptr<kernel::instance::Instance> PluginInstanceTest::load() {
  kernel::instance::InstanceOptions options;
  options.sites_dir = dir_ / "sites";
  options.plugin_dirs = {TRIBE_PLUGIN_DIR};
  options.database_url = "sqlite:" + (dir_ / "tribe.db").string();
  options.log = &log_;
  auto instance = std::make_unique<kernel::instance::Instance>(options);
  instance->load_plugins();
  EXPECT_TRUE(instance->plugin_host().refused().empty());
  instance->load_sites();
  return instance;
}

std::vector<std::string> PluginInstanceTest::problems(kernel::instance::Instance& instance) {
  std::vector<std::string> lines;
  for (const auto& diagnostic : instance.diagnostics()) lines.push_back(diagnostic.to_string());
  return lines;
}

std::string PluginInstanceTest::shipped_with(const std::string& from, const std::string& to) {
  std::string yaml = shipped_site();
  const auto at = yaml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) yaml.replace(at, from.size(), to);
  return yaml;
}

sdk::Response PluginInstanceTest::get(kernel::instance::Instance& instance,
                                      const std::string& path) {
  sdk::Request request;
  request.path = path;
  request.request_id = "test-request";
  return instance.handle(request, site_ + ".localhost");
}

std::vector<std::string> shown(const std::vector<sdk::SectionProblem>& problems) {
  std::vector<std::string> lines;
  for (const auto& problem : problems) lines.push_back(problem.path + ": " + problem.message);
  return lines;
}

int line_of(const std::string& yaml, const std::string& text) {
  const auto at = yaml.find(text);
  EXPECT_NE(at, std::string::npos) << text;
  return static_cast<int>(
             std::count(yaml.begin(), yaml.begin() + std::min(at, yaml.size()), '\n')) +
         1;
}

}  // namespace tribe::testing
