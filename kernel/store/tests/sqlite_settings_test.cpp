// SQLite-only: the settings Database::open puts on every pooled connection.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <filesystem>

#include "kernel/store/database.hpp"
#include "kernel/store/tests/test_database.hpp"

namespace tribe::kernel::store {
namespace {

TEST(SqliteSettings, EverySessionRunsInWalModeWithBusyTimeoutAndForeignKeys) {
  const std::string url = testing::fresh_database_url();
  {
    auto db = Database::open(url, 3);
    EXPECT_TRUE(std::filesystem::exists(url.substr(std::string("sqlite:").size())));
    for (std::size_t i = 0; i < 3; ++i) {
      soci::session& session = db->pool().at(i);
      std::string journal_mode;
      int busy_timeout = 0, foreign_keys = 0, synchronous = 0;
      session << "PRAGMA journal_mode", soci::into(journal_mode);
      session << "PRAGMA busy_timeout", soci::into(busy_timeout);
      session << "PRAGMA foreign_keys", soci::into(foreign_keys);
      session << "PRAGMA synchronous", soci::into(synchronous);
      EXPECT_EQ(journal_mode, "wal") << "session " << i;
      EXPECT_EQ(busy_timeout, 5000) << "session " << i;
      EXPECT_EQ(foreign_keys, 1) << "session " << i;
      EXPECT_EQ(synchronous, 1) << "session " << i;  // NORMAL
    }
  }
  testing::discard_database(url);
}

}  // namespace
}  // namespace tribe::kernel::store
