// The `tribe` command as integrators run it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "child_process.hpp"
#include "tribe/sdk/abi.hpp"

namespace tribe::testing {
namespace {

namespace fs = std::filesystem;

// "2.1": the ABI version as `tribe` prints it.
std::string abi(int major, int minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}
const std::string kAbi = abi(sdk::kAbiMajor, sdk::kAbiMinor);
using ::testing::HasSubstr;
using ::testing::Not;

CommandResult tribe(std::vector<std::string> args) {
  return run_command(tribe_binary(), args, TRIBE_SOURCE_DIR);
}

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Each corpus file holds mistakes; its .expected file holds exactly what `tribe validate` prints.
TEST(TribeValidate, ReportsEveryCorpusProblemWithFileLineColumn) {
  fs::path corpus = fs::path(TRIBE_SOURCE_DIR) / "tests/data/config";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 5u);
  for (const auto& file : files) {
    std::string relative = "tests/data/config/" + file.filename().string();
    std::string expected = read(fs::path(file).replace_extension(".expected"));
    CommandResult result = tribe({"validate", "--plugin-dir", TRIBE_PLUGIN_DIR, relative});
    EXPECT_EQ(result.out, expected) << relative << "\nstderr: " << result.err;
    EXPECT_EQ(result.exit_code, expected.empty() ? 0 : 1) << relative;
  }
}

// How many files in `folder` end in `extension`: the demo sites and the built plugins grow as
// community types are added, and every one of them must validate and load.
std::size_t files_in(const fs::path& folder, const std::string& extension) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == extension) ++count;
  }
  return count;
}

std::size_t demo_sites() {
  return files_in(fs::path(TRIBE_SOURCE_DIR) / "sites", ".yaml");
}

TEST(TribeValidate, DemoSitesAreValid) {
  CommandResult result = tribe({"validate", "--plugin-dir", TRIBE_PLUGIN_DIR, "--sites", "sites"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  ASSERT_GE(demo_sites(), 3u);
  EXPECT_THAT(result.err, HasSubstr("ok: " + std::to_string(demo_sites()) + " site file(s) valid"));
}

TEST(TribeValidate, MissingFileIsAProblem) {
  CommandResult result = tribe({"validate", "--plugin-dir", TRIBE_PLUGIN_DIR, "no/such.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("no/such.yaml:1:1: cannot read file"));
}

TEST(TribePlugins, ListsTheInterestManifest) {
  CommandResult result = tribe({"plugins", "--plugin-dir", TRIBE_PLUGIN_DIR});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("  interest 0.1.0\n"));
  EXPECT_THAT(result.out, HasSubstr("community types: interest"));
  EXPECT_THAT(result.out, HasSubstr("SDK ABI " + kAbi + ", itanium/libstdc++/cxx11"));
  EXPECT_THAT(result.out, HasSubstr("Refused plugins (0)"));
}

TEST(TribePlugins, ListsRefusedFixturesByNameAndReason) {
  CommandResult result = tribe({"plugins", "--plugin-dir", TRIBE_FIXTURE_PLUGIN_DIR});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("  fixture_hello "));
  EXPECT_THAT(result.out, HasSubstr("plugin 'fixture_abi_major' ("));
  EXPECT_THAT(result.out, HasSubstr("built for SDK ABI " + abi(sdk::kAbiMajor + 1, sdk::kAbiMinor) +
                                    " but this kernel provides " + kAbi));
  EXPECT_THAT(result.out, HasSubstr("plugin 'fixture_no_factory' ("));
  EXPECT_THAT(result.out, HasSubstr("plugin 'fixture_throwing_factory' ("));
  EXPECT_THAT(result.out, HasSubstr("database of moods unavailable"));
}

TEST(TribeCli, EveryCommandHasHelp) {
  for (std::string command : {"serve", "validate", "plugins", "migrate", "ledger", "version"}) {
    CommandResult result = tribe({command, "--help"});
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_THAT(result.out, HasSubstr("usage: tribe " + command)) << command;
  }
  CommandResult top = tribe({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.out, HasSubstr("serve"));
}

TEST(TribeCli, BadInputGetsClearErrors) {
  CommandResult unknown = tribe({"srve"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command 'srve'"));

  CommandResult option = tribe({"serve", "--lisen", "1"});
  EXPECT_EQ(option.exit_code, 1);
  EXPECT_THAT(option.err, HasSubstr("lisen"));

  CommandResult listen = tribe({"serve", "--listen", "localhost", "--dry-run"});
  EXPECT_EQ(listen.exit_code, 1);
  EXPECT_THAT(listen.err, HasSubstr("must be HOST:PORT"));

  CommandResult sites =
      tribe({"serve", "--sites", "no/such/dir", "--plugin-dir", TRIBE_PLUGIN_DIR});
  EXPECT_EQ(sites.exit_code, 1);
  EXPECT_THAT(sites.err, HasSubstr("no/such/dir:1:1: cannot read directory"));
  EXPECT_THAT(sites.err, HasSubstr("no valid site in no/such/dir; nothing to serve"));

  CommandResult plugins = tribe({"plugins", "--plugin-dir", "no/such/plugins"});
  EXPECT_EQ(plugins.exit_code, 0);
  EXPECT_THAT(plugins.err, HasSubstr("plugin directory no/such/plugins does not exist"));
  EXPECT_THAT(plugins.out, HasSubstr("Loaded plugins (0)"));

  CommandResult offset = tribe({"serve", "--clock-offset", "8 days", "--dry-run"});
  EXPECT_EQ(offset.exit_code, 1);
  EXPECT_THAT(offset.err, HasSubstr("--clock-offset '8 days' is not an ISO 8601 duration"));

  CommandResult db = tribe({"migrate", "--db", "mysql://x", "--plugin-dir", TRIBE_PLUGIN_DIR});
  EXPECT_EQ(db.exit_code, 1);
  EXPECT_THAT(db.err, HasSubstr("unsupported database URL"));
}

TEST(TribeServe, DryRunValidatesEverythingAndExits) {
  CommandResult ok = tribe({"serve", "--dry-run", "--plugin-dir", TRIBE_PLUGIN_DIR});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  const std::size_t plugins = files_in(TRIBE_PLUGIN_DIR, ".so");
  ASSERT_GE(plugins, 2u);
  EXPECT_THAT(ok.out, HasSubstr("ok: " + std::to_string(plugins) + " plugin(s), " +
                                std::to_string(demo_sites()) + " valid site(s)"));

  CommandResult bad = tribe(
      {"serve", "--dry-run", "--plugin-dir", TRIBE_PLUGIN_DIR, "--sites", "tests/data/config"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("tests/data/config/01-duplicate-key.yaml:"));
}

TEST(TribeMigrate, AppliesAndReportsUpToDate) {
  fs::path db = fs::temp_directory_path() / ("tribe-migrate-" + std::to_string(::getpid()) + ".db");
  CommandResult first =
      tribe({"migrate", "--db", "sqlite:" + db.string(), "--plugin-dir", TRIBE_PLUGIN_DIR});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  // Every kernel service and the interest plugin bring migrations; their number grows with them.
  EXPECT_THAT(first.out,
              ::testing::ContainsRegex("Applied [1-9][0-9]* migration\\(s\\); database sqlite:"));
  EXPECT_THAT(first.out, HasSubstr("is up to date"));
  CommandResult again =
      tribe({"migrate", "--db", "sqlite:" + db.string(), "--plugin-dir", TRIBE_PLUGIN_DIR});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("Applied 0 migration(s)"));
  fs::remove(db);
}

TEST(TribeLedger, CheckPassesABalancedLedgerAndFailsAnUnbalancedOne) {
  fs::path db = fs::temp_directory_path() / ("tribe-ledger-" + std::to_string(::getpid()) + ".db");
  auto sqlite = [&](const std::string& sql) {
    CommandResult result = run_command("/usr/bin/sqlite3", {db.string(), sql});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  };
  auto check = [&] { return tribe({"ledger", "check", "--db", "sqlite:" + db.string()}); };

  CommandResult fresh = check();
  EXPECT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_THAT(fresh.out, HasSubstr("ledger balanced: 0 transfers in 0 tenants"));

  sqlite(
      "INSERT INTO tribe_ledger_transfers VALUES ('acme', 'pay-1', 'payment', '', "
      "'2026-01-01T00:00:00Z');"
      "INSERT INTO tribe_ledger_entries VALUES ('acme', 'pay-1', 1, 'member:1:cash', 'EUR', 500),"
      " ('acme', 'pay-1', 2, 'site:revenue', 'EUR', -500);");
  CommandResult balanced = check();
  EXPECT_EQ(balanced.exit_code, 0) << balanced.err;
  EXPECT_THAT(balanced.out, HasSubstr("ledger balanced: 1 transfers in 1 tenants"));

  sqlite("INSERT INTO tribe_ledger_entries VALUES ('acme', 'pay-1', 3, 'site:revenue', 'EUR', 7)");
  CommandResult broken = check();
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_THAT(broken.out, HasSubstr("tenant 'acme', EUR: debits and credits differ: the entries "
                                    "sum to 7, not 0"));
  EXPECT_THAT(broken.out, Not(HasSubstr("ledger balanced")));
  EXPECT_THAT(broken.err, HasSubstr("2 problem(s) found"));

  CommandResult unknown = tribe({"ledger", "balance", "--db", "sqlite:" + db.string()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("unknown action 'balance'"));
  fs::remove(db);
  fs::remove(db.string() + "-wal");
  fs::remove(db.string() + "-shm");
}

TEST(TribeVersion, PrintsVersionAndAbi) {
  CommandResult result = tribe({"version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("tribe 0.1.0 (SDK ABI " + kAbi));
}

}  // namespace
}  // namespace tribe::testing
