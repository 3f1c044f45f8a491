// The scheduler on the backend this executable links (SQLite files or a real PostgreSQL server).
#include "kernel/jobs/scheduler.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "kernel/store/tests/test_database.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::jobs {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const auto t0 = std::chrono::system_clock::time_point{} + seconds(1'800'000'000);

// What handlers saw, safe to fill from several threads.
class Runs {
 public:
  void add(const Job& job) {
    std::lock_guard lock(mutex_);
    jobs_.push_back(job);
    ++by_key_[job.tenant + "/" + job.key];
    seen_.notify_all();
  }
  std::vector<Job> jobs() const {
    std::lock_guard lock(mutex_);
    return jobs_;
  }
  std::map<std::string, int> by_key() const {
    std::lock_guard lock(mutex_);
    return by_key_;
  }
  std::vector<std::string> keys() const {
    std::vector<std::string> keys;
    for (const auto& job : jobs()) keys.push_back(job.key);
    return keys;
  }
  // Waits for `count` runs; the bound only keeps a broken scheduler from hanging the suite.
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    return seen_.wait_for(lock, std::chrono::seconds(30), [&] { return jobs_.size() >= count; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable seen_;
  std::vector<Job> jobs_;
  std::map<std::string, int> by_key_;
};

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = store::testing::fresh_database_url();
    database_ = store::Database::open(url_, 8);
    scheduler_ = std::make_unique<Scheduler>(*database_);
    scheduler_->migrate();
  }

  void TearDown() override {
    scheduler_.reset();
    other_database_.reset();
    database_.reset();
    store::testing::discard_database(url_);
  }

  // The database a second process would use: its own connections on PostgreSQL; on SQLite the
  // same Database, since one process owns the file.
  store::Database& second_node() {
    if (store::testing::backend_under_test() == store::Backend::Sqlite) return *database_;
    if (!other_database_) other_database_ = store::Database::open(url_, 8);
    return *other_database_;
  }

  void define_recorder(Scheduler& scheduler, const std::string& kind = "receipt") {
    scheduler.define(kind, [this](const Job& job) { runs_.add(job); });
  }

  std::string last_error(const std::string& tenant, const std::string& key) {
    std::string error;
    soci::session session(database_->pool());
    session << "SELECT last_error FROM tribe_jobs WHERE tenant_id = :tenant AND job_key = :key",
        soci::into(error), soci::use(tenant), soci::use(key);
    return error;
  }

  std::string url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<store::Database> other_database_;
  std::unique_ptr<Scheduler> scheduler_;
  Runs runs_;
};

TEST_F(SchedulerTest, RunsAJobOnlyOnceItIsDue) {
  define_recorder(*scheduler_);
  EXPECT_TRUE(scheduler_->schedule("club", "receipt", "order-7", {{"order", 7}}, t0));
  EXPECT_TRUE(scheduler_->schedule("club", "receipt", "order-8", {{"order", 8}}, t0 + seconds(60)));

  EXPECT_EQ(scheduler_->run_due(t0 - seconds(1)), 0u);
  EXPECT_EQ(scheduler_->run_due(t0), 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(59)), 0u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(60)), 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(3600)), 0u);

  const auto jobs = runs_.jobs();
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].tenant, "club");
  EXPECT_EQ(jobs[0].kind, "receipt");
  EXPECT_EQ(jobs[0].key, "order-7");
  EXPECT_EQ(jobs[0].payload, sdk::Json({{"order", 7}}));
  EXPECT_EQ(jobs[0].attempt, 1);
  EXPECT_EQ(jobs[1].key, "order-8");
  const auto counts = scheduler_->counts("club");
  EXPECT_EQ(counts.done, 2u);
  EXPECT_EQ(counts.pending, 0u);
}

TEST_F(SchedulerTest, SchedulingAKeyAgainChangesNothing) {
  define_recorder(*scheduler_);
  EXPECT_TRUE(scheduler_->schedule("club", "receipt", "order-7", {{"first", true}}, t0));
  EXPECT_FALSE(
      scheduler_->schedule("club", "receipt", "order-7", {{"first", false}}, t0 + seconds(99)));
  EXPECT_TRUE(scheduler_->schedule("other-club", "receipt", "order-7", {{"first", true}}, t0));

  EXPECT_EQ(scheduler_->run_due(t0), 2u);
  EXPECT_EQ(runs_.jobs()[0].payload, sdk::Json({{"first", true}}));
  EXPECT_FALSE(scheduler_->schedule("club", "receipt", "order-7", {}, t0));  // done stays done
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(3600)), 0u);
  EXPECT_EQ(scheduler_->counts("club").done, 1u);
}

TEST_F(SchedulerTest, ScheduleInARolledBackTransactionLeavesNoJob) {
  define_recorder(*scheduler_);
  {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    EXPECT_TRUE(Scheduler::schedule_in(session, database_->backend(), "club", "receipt", "order-7",
                                       {}, t0));
  }  // rolled back
  EXPECT_EQ(scheduler_->counts("club").pending, 0u);
  EXPECT_EQ(scheduler_->run_due(t0), 0u);
  EXPECT_TRUE(runs_.jobs().empty());
}

TEST_F(SchedulerTest, ARepeatedKeyInsideATransactionKeepsItUsable) {
  soci::session session(database_->pool());
  store::WriteTransaction transaction(*database_, session);
  const auto backend = database_->backend();
  EXPECT_TRUE(Scheduler::schedule_in(session, backend, "club", "receipt", "order-7", {}, t0));
  EXPECT_FALSE(Scheduler::schedule_in(session, backend, "club", "receipt", "order-7", {}, t0));
  // On PostgreSQL a caught unique violation would have aborted the transaction here.
  EXPECT_TRUE(Scheduler::schedule_in(session, backend, "club", "receipt", "order-8", {}, t0));
  transaction.commit();
  EXPECT_EQ(scheduler_->counts("club").pending, 2u);
}

TEST_F(SchedulerTest, AFailingJobIsRetriedWithBackoffThenMarkedFailed) {
  std::vector<int> attempts;
  scheduler_->define(
      "payout",
      [&](const Job& job) {
        attempts.push_back(job.attempt);
        throw std::runtime_error("gateway down");
      },
      RetryPolicy{3, seconds(10), seconds(15)});
  scheduler_->schedule("club", "payout", "payout-1", {}, t0);
  std::ostringstream log;

  EXPECT_EQ(scheduler_->run_due(t0, 32, &log), 1u);
  EXPECT_EQ(last_error("club", "payout-1"), "gateway down");
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(9), 32, &log), 0u);  // first delay: 10 s
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(10), 32, &log), 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(24), 32, &log), 0u);  // doubled, capped at 15 s
  EXPECT_EQ(scheduler_->counts("club").pending, 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(25), 32, &log), 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(100'000), 32, &log), 0u);

  EXPECT_THAT(attempts, ElementsAre(1, 2, 3));
  const auto counts = scheduler_->counts("club");
  EXPECT_EQ(counts.failed, 1u);
  EXPECT_EQ(counts.pending, 0u);
  EXPECT_THAT(log.str(), HasSubstr("warn jobs: job 'payout-1' (kind 'payout', tenant 'club'): "
                                   "attempt 1 of 3 failed: gateway down; retrying in 10 s"));
  EXPECT_THAT(log.str(), HasSubstr("attempt 3 of 3 failed: gateway down; giving up"));
}

TEST_F(SchedulerTest, AJobThatFailsOnceSucceedsOnItsRetry) {
  scheduler_->define(
      "grant",
      [&](const Job& job) {
        runs_.add(job);
        if (job.attempt == 1) throw std::runtime_error("entitlements busy");
      },
      RetryPolicy{5, seconds(5), seconds(60)});
  scheduler_->schedule("club", "grant", "grant-1", {}, t0);
  std::ostringstream log;
  EXPECT_EQ(scheduler_->run_due(t0, 32, &log), 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(5), 32, &log), 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(3600), 32, &log), 0u);
  EXPECT_EQ(runs_.jobs().size(), 2u);
  EXPECT_EQ(scheduler_->counts("club").done, 1u);
}

TEST_F(SchedulerTest, JobsOfAKindWithoutAHandlerStayPendingForOneThatHasIt) {
  define_recorder(*scheduler_, "receipt");
  scheduler_->schedule("club", "reminder", "remind-1", {}, t0);
  EXPECT_EQ(scheduler_->run_due(t0), 0u);
  EXPECT_EQ(scheduler_->counts("club").pending, 1u);

  Scheduler other(second_node());
  define_recorder(other, "reminder");
  EXPECT_EQ(other.run_due(t0), 1u);
  EXPECT_THAT(runs_.keys(), ElementsAre("remind-1"));
}

// A process killed while running a job never marks it: here the first scheduler's handler is
// still running (as if hung or dead) when a second scheduler looks at the job.
TEST_F(SchedulerTest, AJobWhoseLeaseExpiredRunsAgain) {
  const seconds lease(30);
  Scheduler first(*database_, lease);
  Scheduler second(second_node(), lease);
  std::size_t second_before_expiry = 99;
  std::size_t second_after_expiry = 99;
  first.define("grant", [&](const Job& job) {
    runs_.add(job);
    second_before_expiry = second.run_due(t0 + lease - seconds(1));
    second_after_expiry = second.run_due(t0 + lease);
  });
  define_recorder(second, "grant");
  first.schedule("club", "grant", "grant-1", {}, t0);

  EXPECT_EQ(first.run_due(t0), 1u);
  EXPECT_EQ(second_before_expiry, 0u);
  EXPECT_EQ(second_after_expiry, 1u);
  EXPECT_EQ(runs_.by_key().at("club/grant-1"), 2);
  EXPECT_EQ(first.counts("club").done, 1u);
}

TEST_F(SchedulerTest, TwoSchedulersRunEachOf200JobsExactlyOnce) {
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) {
    scheduler_->schedule("club", "receipt", "order-" + std::to_string(i), {{"order", i}}, t0);
  }
  Scheduler first(*database_);
  Scheduler second(second_node());
  define_recorder(first);
  define_recorder(second);
  std::size_t ran[2] = {0, 0};
  auto drain = [&](Scheduler& scheduler, std::size_t& total) {
    while (const std::size_t n = scheduler.run_due(t0, 16)) total += n;
  };
  std::thread one([&] { drain(first, ran[0]); });
  std::thread two([&] { drain(second, ran[1]); });
  one.join();
  two.join();

  EXPECT_EQ(ran[0] + ran[1], static_cast<std::size_t>(kJobs));
  const auto by_key = runs_.by_key();
  EXPECT_EQ(by_key.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [key, count] : by_key) EXPECT_EQ(count, 1) << key;
  EXPECT_EQ(scheduler_->counts("club").done, static_cast<std::size_t>(kJobs));
}

TEST_F(SchedulerTest, TheBackgroundThreadRunsDueJobsAndSurvivesFailures) {
  define_recorder(*scheduler_);
  scheduler_->define("broken", [](const Job&) { throw std::runtime_error("template missing"); });
  const auto now = std::chrono::system_clock::now();
  scheduler_->schedule("club", "broken", "broken-1", {}, now - seconds(1));
  scheduler_->schedule("club", "receipt", "order-7", {}, now - seconds(1));
  std::ostringstream log;

  scheduler_->start(std::chrono::milliseconds(10), &log);
  EXPECT_THROW(scheduler_->start(), std::logic_error);
  EXPECT_TRUE(runs_.wait_for(1));
  scheduler_->stop();

  EXPECT_THAT(runs_.keys(), ElementsAre("order-7"));
  EXPECT_EQ(scheduler_->counts("club").done, 1u);
  EXPECT_THAT(log.str(), HasSubstr("failed: template missing"));
}

TEST_F(SchedulerTest, RefusesWhatCannotWorkWithAMessageSayingWhy) {
  define_recorder(*scheduler_);
  EXPECT_THAT([&] { define_recorder(*scheduler_); },
              ::testing::ThrowsMessage<SchedulerError>(HasSubstr("'receipt' is already defined")));
  EXPECT_THROW(scheduler_->define("payout", nullptr), SchedulerError);
  EXPECT_THAT(
      [&] {
        scheduler_->define(
            "payout", [](const Job&) {}, RetryPolicy{0});
      },
      ::testing::ThrowsMessage<SchedulerError>(HasSubstr("allow at least 1 attempt")));
  EXPECT_THAT([&] { scheduler_->schedule("club", "receipt", "", {}, t0); },
              ::testing::ThrowsMessage<SchedulerError>(HasSubstr("a job needs a key")));
  EXPECT_EQ(scheduler_->counts("club").pending, 0u);
}

}  // namespace
}  // namespace tribe::kernel::jobs

namespace tribe::kernel::jobs {
namespace {

TEST_F(SchedulerTest, RecurringSweepRunsOncePerSlotHoweverManyDefineIt) {
  std::vector<std::chrono::system_clock::time_point> swept;
  std::mutex mutex;
  auto sweep = [&](std::chrono::system_clock::time_point now) {
    std::lock_guard lock(mutex);
    swept.push_back(now);
  };
  const auto start = t0 + seconds(7);  // inside the slot that began at t0
  scheduler_->define_recurring("sweep", seconds(60), sweep, start);
  // A second node (or a restart) defines the same sweep later in the same slot.
  Scheduler other(second_node());
  other.define_recurring("sweep", seconds(60), sweep, start + seconds(20));

  EXPECT_EQ(scheduler_->run_due(start), 1u);
  EXPECT_EQ(other.run_due(start + seconds(30)), 0u);
  EXPECT_EQ(other.run_due(t0 + seconds(60)), 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(61)), 0u);
  // Down for ten minutes: one catch-up run, then back on the grid.
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(720)), 1u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(730)), 0u);
  EXPECT_EQ(scheduler_->run_due(t0 + seconds(780)), 1u);
  std::lock_guard lock(mutex);
  EXPECT_EQ(swept, (std::vector{start, t0 + seconds(60), t0 + seconds(720), t0 + seconds(780)}));
}

}  // namespace
}  // namespace tribe::kernel::jobs
