// SQLite-only: the settings Database::open puts on every pooled connection.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "kernel/store/database.hpp"
#include "kernel/store/tests/test_database.hpp"
#include "kernel/store/write_transaction.hpp"

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

// SQLite runs one writer at a time: the writers of one Database queue on a lock of the process
// (instead of sleeping in SQLite's busy handler), and each starts only once the last one ended.
TEST(SqliteSettings, WritersOfOneDatabaseTakeTurnsAndNoneIsRefused) {
  const std::string url = testing::fresh_database_url();
  {
    auto db = Database::open(url, 4);
    {
      soci::session session(db->pool());
      session << "CREATE TABLE turns (n INTEGER NOT NULL)";
      session << "INSERT INTO turns (n) VALUES (0)";
    }
    std::atomic<int> inside{0};
    std::atomic<int> overlaps{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&] {
        soci::session session(db->pool());
        for (int i = 0; i < 100; ++i) {
          WriteTransaction transaction(*db, session);
          if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
          int n = 0;
          session << "SELECT n FROM turns", soci::into(n);
          session << "UPDATE turns SET n = :n", soci::use(n + 1);
          inside.fetch_sub(1);
          transaction.commit();
        }
      });
    }
    for (auto& writer : writers) writer.join();
    int n = 0;
    soci::session session(db->pool());
    session << "SELECT n FROM turns", soci::into(n);
    EXPECT_EQ(n, 400) << "every read-modify-write committed, none lost";
    EXPECT_EQ(overlaps.load(), 0) << "no two write transactions were open at once";
  }
  testing::discard_database(url);
}

}  // namespace
}  // namespace tribe::kernel::store
