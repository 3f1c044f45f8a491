#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include "kernel/jobs/polling_thread.hpp"
#include "kernel/store/database.hpp"
#include "tribe/sdk/json.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::jobs {

// A kind, job or policy the scheduler refuses; the message says what is wrong and what to do.
class SchedulerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Job {
  std::string tenant;
  std::string kind;
  std::string key;
  sdk::Json payload;
  int attempt;                                // 1 on the first run, 2 on the first retry, ...
  std::chrono::system_clock::time_point now;  // the `now` run_due was called with
};

// Exponential backoff: a job that threw waits first_delay, then twice that, ... up to max_delay;
// after max_attempts runs that all threw it is marked failed.
struct RetryPolicy {
  int max_attempts = 10;
  std::chrono::seconds first_delay{5};
  std::chrono::seconds max_delay{3600};
};

// Persistent jobs in tribe_jobs, run at least once: a claim leases a job for `lease`, a process
// killed while running it leaves the lease to expire and the job runs again, so handlers must
// tolerate a repeat (deduplicate by tenant and key). Several schedulers may share one database:
// on PostgreSQL claims skip rows another claim has locked; on SQLite a BEGIN IMMEDIATE
// transaction is the claim. A lease must outlast running one batch of handlers.
class Scheduler {
 public:
  explicit Scheduler(store::Database& database,
                     std::chrono::seconds lease = std::chrono::seconds(60));
  ~Scheduler();  // stops the background thread
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Creates tribe_jobs (component "kernel.jobs") if missing; returns how many migrations applied.
  int migrate();

  // One handler per kind, defined before the first run_due/start that should run it. Throws
  // SchedulerError for an empty kind, a missing handler, a kind defined twice or a bad policy.
  void define(const std::string& kind, std::function<void(const Job&)> handler,
              RetryPolicy retry = {});

  // Idempotent by (tenant, key): scheduling an existing key again changes nothing and returns
  // false, whatever state that job is in. A kind need not be defined in this process.
  bool schedule(const std::string& tenant, const std::string& kind, const std::string& key,
                const sdk::Json& payload, std::chrono::system_clock::time_point run_at);
  // The same inside the caller's open transaction on `in_transaction`, so that a job is scheduled
  // atomically with a state change; a rollback unschedules it. Never aborts that transaction on
  // a repeated key (ON CONFLICT DO NOTHING instead of a caught unique violation).
  static bool schedule_in(soci::session& in_transaction, store::Backend backend,
                          const std::string& tenant, const std::string& kind,
                          const std::string& key, const sdk::Json& payload,
                          std::chrono::system_clock::time_point run_at);

  // Claims up to `batch` due jobs (pending, run_at <= now, lease free, kind defined here) and runs
  // each handler outside the claim transaction. Success marks a job done; an exception counts an
  // attempt, keeps the message in last_error and reschedules by the kind's RetryPolicy, or marks
  // the job failed after max_attempts. Failures are logged to `log` (nullptr: stderr). Jobs of
  // kinds without a handler here stay pending. Returns how many handlers ran.
  std::size_t run_due(std::chrono::system_clock::time_point now, std::size_t batch = 32,
                      std::ostream* log = nullptr);

  // A sweep (expire reservations, expire entitlements) every `interval`: jobs of `kind` keyed
  // "<kind>@<slot>" under the tenant "kernel", each running `work` with the run's now and then
  // scheduling the next slot. Slots are multiples of `interval` since the epoch, so nodes and
  // restarts converge on one chain. Defines the kind and schedules the slots of `now` and after.
  void define_recurring(const std::string& kind, std::chrono::seconds interval,
                        std::function<void(std::chrono::system_clock::time_point)> work,
                        std::chrono::system_clock::time_point now);

  // A background thread calling run_due(now()) every `poll` (`now`: the instance's clock, which
  // `tribe serve --clock-offset` moves); neither handlers' nor the database's exceptions escape
  // it (they are logged to `log`, nullptr: stderr). Throws std::logic_error if already started.
  // stop() joins the thread.
  using Now = std::function<std::chrono::system_clock::time_point()>;
  void start(
      std::chrono::milliseconds poll = std::chrono::milliseconds(200), std::ostream* log = nullptr,
      Now now = [] { return std::chrono::system_clock::now(); });
  void stop();

  struct Counts {
    std::size_t pending = 0;
    std::size_t done = 0;
    std::size_t failed = 0;
  };
  Counts counts(const std::string& tenant) const;

 private:
  struct Kind {
    std::function<void(const Job&)> handler;
    RetryPolicy retry;
  };

  std::map<std::string, Kind> defined_kinds() const;

  store::Database& database_;
  std::chrono::seconds lease_;
  mutable std::mutex kinds_mutex_;
  std::map<std::string, Kind> kinds_;
  PollingThread poller_;
};

}  // namespace tribe::kernel::jobs
