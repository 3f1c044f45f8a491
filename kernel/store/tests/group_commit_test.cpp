// GroupCommit, in the storage suite of both backends: on SQLite the units queued while a batch
// runs are committed together, each in its own savepoint; on PostgreSQL each unit is its own
// transaction. What a caller sees is the same on both, except when a COMMIT fails.
#include "kernel/store/group_commit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kernel/store/database.hpp"
#include "kernel/store/tests/test_database.hpp"

#define TRIBE_JOIN_NAMES(a, b) a##b
#define TRIBE_SUITE_NAMED(a, b) TRIBE_JOIN_NAMES(a, b)
// GroupCommitSqliteStore, GroupCommitPostgresqlStore: the ctest names of the two runs differ.
#define GROUP_COMMIT_SUITE TRIBE_SUITE_NAMED(GroupCommit, TRIBE_STORE_SUITE)

namespace tribe::kernel::store {
namespace {

using ::testing::HasSubstr;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

class GROUP_COMMIT_SUITE : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url();
    db_ = Database::open(url_, 8);
    soci::session session(db_->pool());
    session << "CREATE TABLE units (name TEXT PRIMARY KEY)";
    session << "CREATE TABLE counter (n BIGINT NOT NULL)";
    session << "INSERT INTO counter (n) VALUES (0)";
    session << "CREATE TABLE parents (id TEXT PRIMARY KEY)";
    session << "CREATE TABLE children (id TEXT PRIMARY KEY, parent TEXT REFERENCES parents (id) "
               "DEFERRABLE INITIALLY DEFERRED)";
  }
  void TearDown() override {
    db_.reset();
    testing::discard_database(url_);
  }

  static bool insert_unit(soci::session& session, const std::string& name) {
    session << "INSERT INTO units (name) VALUES (:name)", soci::use(name);
    return true;
  }

  std::vector<std::string> units() {
    soci::session session(db_->pool());
    std::vector<std::string> names;
    soci::rowset<std::string> rows = session.prepare << "SELECT name FROM units ORDER BY name";
    for (const auto& name : rows) names.push_back(name);
    return names;
  }

  // Runs a blocking unit (it inserts "blocker") as the first batch and `others` on their own
  // threads while it runs; it ends only once the others are queued behind it (SQLite) or have
  // ended (PostgreSQL, where they do not wait), so on SQLite they make up the next batch together.
  // Returns each other unit's error message ("" when it succeeded).
  std::vector<std::string> behind_a_batch(const std::vector<GroupCommit::Work>& others) {
    GroupCommit& group = db_->group_commit();
    std::atomic<std::size_t> ended{0};
    std::promise<void> blocker_running;
    std::thread first([&] {
      group.run([&](soci::session& session) {
        blocker_running.set_value();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (group.queued() + ended.load() < others.size() &&
               std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return insert_unit(session, "blocker");
      });
    });
    blocker_running.get_future().wait();
    std::vector<std::string> errors(others.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < others.size(); ++i) {
      threads.emplace_back([&, i] {
        try {
          group.run(others[i]);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
        ended.fetch_add(1);
      });
    }
    first.join();
    for (auto& thread : threads) thread.join();
    return errors;
  }

  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_F(GROUP_COMMIT_SUITE, EveryUnitOfManyConcurrentCallersIsCommittedExactlyOnce) {
  constexpr int kThreads = 8;
  constexpr int kUnits = 50;
  // SQLite's units of one batch run one after the other; PostgreSQL's transactions need the lock.
  const std::string read = testing::backend_under_test() == Backend::Sqlite
                               ? "SELECT n FROM counter"
                               : "SELECT n FROM counter FOR UPDATE";
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int u = 0; u < kUnits; ++u) {
        db_->group_commit().run([&](soci::session& session) {
          long long n = 0;
          session << read, soci::into(n);
          session << "UPDATE counter SET n = :n", soci::use(n + 1);
          return insert_unit(session, std::to_string(t) + "-" + std::to_string(u));
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  soci::session session(db_->pool());
  long long n = 0;
  session << "SELECT n FROM counter", soci::into(n);
  EXPECT_EQ(n, kThreads * kUnits) << "no read-modify-write lost, none applied twice";
  EXPECT_EQ(units().size(), static_cast<std::size_t>(kThreads * kUnits));
  EXPECT_EQ(db_->group_commit().queued(), 0u);
}

TEST_F(GROUP_COMMIT_SUITE, UnitsQueuedWhileABatchRunsAreRunTogetherOnSqlite) {
  std::vector<std::thread::id> ran_on(3);
  std::vector<GroupCommit::Work> others;
  for (std::size_t i = 0; i < ran_on.size(); ++i) {
    others.emplace_back([&, i](soci::session& session) {
      ran_on[i] = std::this_thread::get_id();
      return insert_unit(session, "unit-" + std::to_string(i));
    });
  }
  const auto errors = behind_a_batch(others);
  EXPECT_THAT(errors, ::testing::Each(""));
  EXPECT_EQ(units(), (std::vector<std::string>{"blocker", "unit-0", "unit-1", "unit-2"}));
  if (testing::backend_under_test() == Backend::Sqlite) {
    EXPECT_EQ(ran_on[0], ran_on[1]) << "one leader ran the whole batch";
    EXPECT_EQ(ran_on[1], ran_on[2]) << "one leader ran the whole batch";
  }
}

TEST_F(GROUP_COMMIT_SUITE, AUnitThatThrowsIsUndoneAloneAndItsCallerGetsTheError) {
  const auto errors = behind_a_batch({
      [&](soci::session& session) { return insert_unit(session, "kept-1"); },
      [&](soci::session& session) -> bool {
        insert_unit(session, "thrown");
        throw std::runtime_error("the unit found a problem");
      },
      [&](soci::session& session) { return insert_unit(session, "kept-2"); },
  });
  EXPECT_EQ(errors, (std::vector<std::string>{"", "the unit found a problem", ""}));
  EXPECT_EQ(units(), (std::vector<std::string>{"blocker", "kept-1", "kept-2"}));
}

TEST_F(GROUP_COMMIT_SUITE, AUnitReturningFalseIsUndoneAlone) {
  const auto errors = behind_a_batch({
      [&](soci::session& session) { return insert_unit(session, "kept"); },
      [&](soci::session& session) {
        insert_unit(session, "undone");
        return false;
      },
  });
  EXPECT_THAT(errors, ::testing::Each(""));
  EXPECT_EQ(units(), (std::vector<std::string>{"blocker", "kept"}));
}

// A unit's writes are durable only once its batch committed: a COMMIT refused (here by a deferred
// foreign key one unit broke) fails every unit of its batch on SQLite, and only that unit on
// PostgreSQL, where it was a transaction of its own. No caller is told "done" for writes that
// were not committed.
TEST_F(GROUP_COMMIT_SUITE, ACommitRefusedFailsEveryUnitItHeld) {
  const auto errors = behind_a_batch({
      [&](soci::session& session) {
        session << "INSERT INTO children (id, parent) VALUES ('orphan', 'nobody')";
        return true;
      },
      [&](soci::session& session) { return insert_unit(session, "next"); },
  });
  EXPECT_THAT(lowercase(errors[0]), HasSubstr("foreign key"));
  if (testing::backend_under_test() == Backend::Sqlite) {
    EXPECT_THAT(lowercase(errors[1]), HasSubstr("foreign key")) << "committed in the same batch";
    EXPECT_EQ(units(), (std::vector<std::string>{"blocker"}));
  } else {
    EXPECT_EQ(errors[1], "");
    EXPECT_EQ(units(), (std::vector<std::string>{"blocker", "next"}));
  }
  db_->group_commit().run([&](soci::session& session) { return insert_unit(session, "after"); });
  EXPECT_THAT(units(), ::testing::Contains("after")) << "the next batch commits as usual";
}

}  // namespace
}  // namespace tribe::kernel::store
