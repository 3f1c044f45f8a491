// Runs tests/data/config through SiteLoader, the way `tribe validate FILE` does from the repo
// root, and compares with each case's .expected lines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "interest_schema.hpp"

namespace tribe::kernel::config {
namespace {

namespace fs = std::filesystem;

// Relative file names print as the CLI prints them when run from the repo root.
class FromSourceDir {
 public:
  FromSourceDir() : previous_(fs::current_path()) { fs::current_path(TRIBE_SOURCE_DIR); }
  ~FromSourceDir() { fs::current_path(previous_); }
  FromSourceDir(const FromSourceDir&) = delete;
  FromSourceDir& operator=(const FromSourceDir&) = delete;

 private:
  fs::path previous_;
};

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ConfigCorpus, EveryCaseReportsExactlyItsExpectedLines) {
  FromSourceDir from_source;
  const fs::path corpus = "tests/data/config";
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() == ".yaml") cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  ASSERT_GE(cases.size(), 10u);

  const SiteLoader loader(interest_inputs());
  for (const auto& file : cases) {
    SCOPED_TRACE(file.string());
    const fs::path expected_file = fs::path(file).replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_file));
    Diagnostics out;
    const auto site = loader.load(file, out);
    sort_by_position(out);
    std::vector<std::string> lines;
    for (const auto& diagnostic : out) lines.push_back(diagnostic.to_string());
    EXPECT_EQ(lines, read_lines(expected_file));
    EXPECT_EQ(site.has_value(), lines.empty());
  }
}

}  // namespace
}  // namespace tribe::kernel::config
