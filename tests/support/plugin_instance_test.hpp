// The fixture of a community plugin's unit tests in a real kernel instance: a scratch folder with
// `sites/`, the shipped demo site's YAML (or a variant of it) written there, the built plugins
// loaded from TRIBE_PLUGIN_DIR, and requests handled for the site's host.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "kernel/instance/instance.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::testing {

class PluginInstanceTest : public ::testing::Test {
 protected:
  // `site` is the demo site's id: `sites/<site>.yaml` in the source tree, `<site>.localhost`.
  explicit PluginInstanceTest(std::string site);

  void SetUp() override;
  void TearDown() override;

  // The site's YAML as shipped in the source tree.
  std::string shipped_site() const;
  // Writes `yaml` as the site's file in the scratch `sites/` folder.
  void write_site(const std::string& yaml);
  // An instance on the scratch folder with every built plugin loaded (none refused) and the
  // sites loaded.
  std::unique_ptr<kernel::instance::Instance> load();
  // The instance's diagnostics, one line each.
  std::vector<std::string> problems(kernel::instance::Instance& instance);
  // The shipped site with `from` replaced by `to` (which must be there).
  std::string shipped_with(const std::string& from, const std::string& to);
  // A GET of `path` for the site's host.
  sdk::Response get(kernel::instance::Instance& instance, const std::string& path);

  std::string site_;
  std::filesystem::path dir_;
  std::ostringstream log_;
};

// A section check's problems as "path: message" lines, to compare as text.
std::vector<std::string> shown(const std::vector<sdk::SectionProblem>& problems);
// The 1-based line of `text` in `yaml` (which must hold it), counted by the test so that an
// expected file:line:col can fail on a wrong line.
int line_of(const std::string& yaml, const std::string& text);

}  // namespace tribe::testing
