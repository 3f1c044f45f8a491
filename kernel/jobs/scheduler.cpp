#include "kernel/jobs/scheduler.hpp"

#include <soci/soci.h>

#include <iostream>
#include <optional>
#include <utility>
#include <vector>

#include "kernel/jobs/backoff.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::jobs {
namespace {

// Jobs of the instance rather than of one site.
constexpr const char* kKernelTenant = "kernel";

constexpr const char* kTable = "tribe_jobs";
constexpr std::size_t kMaxNameLength = 200;

const std::vector<sdk::Migration>& job_migrations() {
  static const std::vector<sdk::Migration> migrations = {
      {1, "jobs",
       "CREATE TABLE tribe_jobs ("
       " tenant_id TEXT NOT NULL,"
       " job_key TEXT NOT NULL,"
       " kind TEXT NOT NULL,"
       " payload TEXT NOT NULL,"
       " run_at BIGINT NOT NULL,"
       " attempts BIGINT NOT NULL DEFAULT 0,"
       " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),"
       " locked_until BIGINT NOT NULL DEFAULT 0,"
       " last_error TEXT NOT NULL DEFAULT '',"
       " created_at TEXT NOT NULL,"
       " PRIMARY KEY (tenant_id, job_key));"
       "CREATE INDEX tribe_jobs_due ON tribe_jobs (state, run_at)"},
  };
  return migrations;
}

// A job as claimed: its payload is parsed when it runs, so bad JSON fails that job, not the batch.
struct Claim {
  std::string tenant;
  std::string kind;
  std::string key;
  std::string payload;
  long long attempts = 0;  // runs before this one
};

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

std::string describe(const Claim& claim) {
  return "job " + quoted(claim.key) + " (kind " + quoted(claim.kind) + ", tenant " +
         quoted(claim.tenant) + ")";
}

void require_name(const std::string& what, const std::string& value) {
  if (value.empty() || value.size() > kMaxNameLength) {
    throw SchedulerError("a job needs a " + what + " of 1 to " + std::to_string(kMaxNameLength) +
                         " characters, got " + std::to_string(value.size()));
  }
}

void validate(const std::string& kind, const RetryPolicy& retry) {
  const std::string where = "job kind " + quoted(kind);
  if (retry.max_attempts < 1) {
    throw SchedulerError(where + ": max_attempts is " + std::to_string(retry.max_attempts) +
                         "; allow at least 1 attempt");
  }
  if (retry.first_delay.count() < 1 || retry.max_delay < retry.first_delay) {
    throw SchedulerError(where + ": retry delays must satisfy 1s <= first_delay <= max_delay");
  }
}

// Pending, due, lease free, of a kind this process can run; PostgreSQL skips rows another claim
// holds instead of waiting for it. SQLite has no row locks: the caller's BEGIN IMMEDIATE is the
// claim.
std::string claim_sql(std::size_t kinds, store::Backend backend) {
  std::string sql =
      "SELECT tenant_id, job_key, kind, payload, attempts FROM tribe_jobs"
      " WHERE state = 'pending' AND run_at <= :due_by AND locked_until <= :lease_free_at"
      " AND kind IN (";
  for (std::size_t i = 0; i < kinds; ++i) sql += (i ? ", :kind" : ":kind") + std::to_string(i);
  sql += ") ORDER BY run_at, tenant_id, job_key LIMIT :batch";
  if (backend == store::Backend::Postgresql) sql += " FOR UPDATE SKIP LOCKED";
  return sql;
}

std::vector<Claim> select_due(soci::session& session, store::Backend backend,
                              const std::vector<std::string>& kinds, long long now,
                              std::size_t batch) {
  std::vector<Claim> claims;
  Claim row;
  long long due_by = now;
  long long lease_free_at = now;
  long long limit = static_cast<long long>(batch);
  soci::statement select(session);
  select.exchange(soci::into(row.tenant));
  select.exchange(soci::into(row.key));
  select.exchange(soci::into(row.kind));
  select.exchange(soci::into(row.payload));
  select.exchange(soci::into(row.attempts));
  select.exchange(soci::use(due_by, "due_by"));
  select.exchange(soci::use(lease_free_at, "lease_free_at"));
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    select.exchange(soci::use(kinds[i], "kind" + std::to_string(i)));
  }
  select.exchange(soci::use(limit, "batch"));
  select.alloc();
  select.prepare(claim_sql(kinds.size(), backend));
  select.define_and_bind();
  select.execute();
  while (select.fetch()) claims.push_back(row);
  return claims;
}

void set_leases(soci::session& session, const std::vector<Claim>& claims, long long until) {
  std::string tenant;
  std::string key;
  soci::statement lease = (session.prepare << "UPDATE tribe_jobs SET locked_until = :until"
                                              " WHERE tenant_id = :tenant AND job_key = :key",
                           soci::use(until), soci::use(tenant), soci::use(key));
  for (const auto& claim : claims) {
    tenant = claim.tenant;
    key = claim.key;
    lease.execute(true);
  }
}

// Leases due jobs in one committed transaction, so a crash before they finish only delays them
// until the lease expires.
std::vector<Claim> claim_due(store::Database& database, soci::session& session,
                             const std::vector<std::string>& kinds, long long now,
                             long long lease_until, std::size_t batch) {
  store::WriteTransaction transaction(database, session);
  auto claims = select_due(session, database.backend(), kinds, now, batch);
  if (!claims.empty()) set_leases(session, claims, lease_until);
  transaction.commit();
  return claims;
}

// Runs the handler; returns what it threw, if anything.
std::optional<std::string> run_handler(const Claim& claim,
                                       const std::function<void(const Job&)>& handler,
                                       std::chrono::system_clock::time_point now) {
  try {
    const Job job{claim.tenant,
                  claim.kind,
                  claim.key,
                  sdk::Json::parse(claim.payload),
                  static_cast<int>(claim.attempts + 1),
                  now};
    handler(job);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  } catch (...) {
    return std::string("an exception that is not a std::exception");
  }
}

void mark_done(soci::session& session, const Claim& claim) {
  session << "UPDATE tribe_jobs SET state = 'done', attempts = attempts + 1, locked_until = 0,"
             " last_error = '' WHERE tenant_id = :tenant AND job_key = :key",
      soci::use(claim.tenant), soci::use(claim.key);
}

// `state = 'pending'`: if our lease expired and another run finished the job meanwhile, this
// late failure must not reopen it.
void record_failure(soci::session& session, const Claim& claim, const RetryPolicy& retry,
                    const std::string& error, long long now, std::ostream& log) {
  const long long attempts = claim.attempts + 1;
  const std::string what = describe(claim) + ": attempt " + std::to_string(attempts) + " of " +
                           std::to_string(retry.max_attempts) + " failed: " + error;
  if (attempts >= retry.max_attempts) {
    session << "UPDATE tribe_jobs SET state = 'failed', attempts = :attempts, locked_until = 0,"
               " last_error = :error"
               " WHERE tenant_id = :tenant AND job_key = :key AND state = 'pending'",
        soci::use(attempts), soci::use(error), soci::use(claim.tenant), soci::use(claim.key);
    log_line(log, "jobs", "error",
             what + "; giving up: it stays in tribe_jobs with state 'failed' and this last_error");
    return;
  }
  const auto delay =
      backoff_delay(static_cast<int>(attempts), retry.first_delay, retry.max_delay).count();
  const long long run_at = now + delay;
  session << "UPDATE tribe_jobs SET attempts = :attempts, run_at = :run_at, locked_until = 0,"
             " last_error = :error"
             " WHERE tenant_id = :tenant AND job_key = :key AND state = 'pending'",
      soci::use(attempts), soci::use(run_at), soci::use(error), soci::use(claim.tenant),
      soci::use(claim.key);
  log_line(log, "jobs", "warn", what + "; retrying in " + std::to_string(delay) + " s");
}

}  // namespace

Scheduler::Scheduler(store::Database& database, std::chrono::seconds lease)
    : database_(database), lease_(lease) {
  if (lease_.count() < 1) throw SchedulerError("a job lease must be at least 1 second");
}

Scheduler::~Scheduler() {
  stop();
}

int Scheduler::migrate() {
  return database_.migrate("kernel.jobs", job_migrations());
}

void Scheduler::define(const std::string& kind, std::function<void(const Job&)> handler,
                       RetryPolicy retry) {
  require_name("kind", kind);
  if (!handler) throw SchedulerError("job kind " + quoted(kind) + " needs a handler");
  validate(kind, retry);
  std::lock_guard lock(kinds_mutex_);
  if (!kinds_.try_emplace(kind, Kind{std::move(handler), retry}).second) {
    throw SchedulerError("job kind " + quoted(kind) +
                         " is already defined; each kind has one handler, so give this one "
                         "another kind name");
  }
}

bool Scheduler::schedule(const std::string& tenant, const std::string& kind, const std::string& key,
                         const sdk::Json& payload, std::chrono::system_clock::time_point run_at) {
  soci::session session(database_.pool());
  return schedule_in(session, database_.backend(), tenant, kind, key, payload, run_at);
}

// ON CONFLICT DO NOTHING is in SQLite (3.24+) and PostgreSQL alike, so the backend needs no
// dialect here; it stays in the signature for callers that already hold it.
bool Scheduler::schedule_in(soci::session& in_transaction, store::Backend /*backend*/,
                            const std::string& tenant, const std::string& kind,
                            const std::string& key, const sdk::Json& payload,
                            std::chrono::system_clock::time_point run_at) {
  require_name("tenant", tenant);
  require_name("kind", kind);
  require_name("key", key);
  const std::string payload_text = payload.dump();
  const long long run_at_seconds = store::unix_seconds(run_at);
  const std::string created_at = store::utc_timestamp();
  try {
    soci::statement insert =
        (in_transaction.prepare
             << "INSERT INTO tribe_jobs (tenant_id, job_key, kind, payload, run_at, created_at)"
                " VALUES (:tenant, :key, :kind, :payload, :run_at, :created_at)"
                " ON CONFLICT (tenant_id, job_key) DO NOTHING",
         soci::use(tenant), soci::use(key), soci::use(kind), soci::use(payload_text),
         soci::use(run_at_seconds), soci::use(created_at));
    insert.execute(true);
    return insert.get_affected_rows() == 1;
  } catch (...) {
    store::rethrow_as_store_error(kTable);
  }
}

// Slots sit on a grid of `interval` from the epoch, so every node and every restart names the
// same slots: one chain of jobs however many define it.
void Scheduler::define_recurring(const std::string& kind, std::chrono::seconds interval,
                                 std::function<void(std::chrono::system_clock::time_point)> work,
                                 std::chrono::system_clock::time_point now) {
  if (interval.count() < 1)
    throw SchedulerError("a recurring job needs an interval of 1 s or more");
  const std::int64_t step = interval.count();
  auto schedule_slot = [this, kind, step](std::int64_t slot) {
    schedule(kKernelTenant, kind, kind + "@" + std::to_string(slot), sdk::Json::object(),
             store::from_unix_seconds(slot));
  };
  auto slot_of = [step](std::chrono::system_clock::time_point time) {
    return store::unix_seconds(time) / step * step;
  };
  define(kind, [work = std::move(work), schedule_slot, slot_of, step](const Job& job) {
    work(job.now);
    schedule_slot(slot_of(job.now) + step);
  });
  schedule_slot(slot_of(now));
  schedule_slot(slot_of(now) + step);
}

std::map<std::string, Scheduler::Kind> Scheduler::defined_kinds() const {
  std::lock_guard lock(kinds_mutex_);
  return kinds_;
}

std::size_t Scheduler::run_due(std::chrono::system_clock::time_point now, std::size_t batch,
                               std::ostream* log) {
  const auto kinds = defined_kinds();
  if (kinds.empty() || batch == 0) return 0;
  std::vector<std::string> names;
  for (const auto& [name, kind] : kinds) names.push_back(name);
  const long long now_seconds = store::unix_seconds(now);
  try {
    soci::session session(database_.pool());
    const auto claims =
        claim_due(database_, session, names, now_seconds, now_seconds + lease_.count(), batch);
    for (const auto& claim : claims) {
      const Kind& kind = kinds.at(claim.kind);
      if (const auto error = run_handler(claim, kind.handler, now)) {
        record_failure(session, claim, kind.retry, *error, now_seconds, log ? *log : std::cerr);
      } else {
        mark_done(session, claim);
      }
    }
    return claims.size();
  } catch (...) {
    store::rethrow_as_store_error(kTable);
  }
}

void Scheduler::start(std::chrono::milliseconds poll, std::ostream* log, Now now) {
  poller_.start(
      poll, [this, log, now = std::move(now)] { run_due(now(), 32, log); }, log ? *log : std::cerr,
      "jobs", "running due jobs");
}

void Scheduler::stop() {
  poller_.stop();
}

Scheduler::Counts Scheduler::counts(const std::string& tenant) const {
  Counts counts;
  std::string state;
  long long count = 0;
  soci::session session(database_.pool());
  soci::statement rows = (session.prepare << "SELECT state, COUNT(*) FROM tribe_jobs"
                                             " WHERE tenant_id = :tenant GROUP BY state",
                          soci::into(state), soci::into(count), soci::use(tenant));
  rows.execute();
  while (rows.fetch()) {
    const auto n = static_cast<std::size_t>(count);
    if (state == "pending") counts.pending = n;
    if (state == "done") counts.done = n;
    if (state == "failed") counts.failed = n;
  }
  return counts;
}

}  // namespace tribe::kernel::jobs
