#include "kernel/events/outbox.hpp"

#include <soci/soci.h>

#include <iostream>
#include <optional>
#include <set>
#include <vector>

#include "kernel/jobs/backoff.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::events {
namespace {

constexpr const char* kTable = "tribe_outbox";
constexpr std::size_t kMaxNameLength = 200;
constexpr std::chrono::seconds kFirstRetry{5};
constexpr std::chrono::seconds kLongestRetry{3600};

const std::vector<sdk::Migration>& outbox_migrations() {
  static const std::vector<sdk::Migration> migrations = {
      {1, "outbox",
       "CREATE TABLE tribe_outbox ("
       " tenant_id TEXT NOT NULL,"
       " event_id TEXT NOT NULL,"
       " topic TEXT NOT NULL,"
       " payload TEXT NOT NULL,"
       " created_at TEXT NOT NULL,"
       " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered')),"
       " attempts BIGINT NOT NULL DEFAULT 0,"
       " next_attempt_at BIGINT NOT NULL DEFAULT 0,"
       " locked_until BIGINT NOT NULL DEFAULT 0,"
       " last_error TEXT NOT NULL DEFAULT '',"
       " PRIMARY KEY (tenant_id, event_id));"
       "CREATE INDEX tribe_outbox_due ON tribe_outbox (state, next_attempt_at);"
       "CREATE TABLE tribe_event_deliveries ("
       " tenant_id TEXT NOT NULL,"
       " event_id TEXT NOT NULL,"
       " handler TEXT NOT NULL,"
       " delivered_at TEXT NOT NULL,"
       " PRIMARY KEY (tenant_id, event_id, handler))"},
  };
  return migrations;
}

// An event as claimed: its payload is parsed when delivered, so bad JSON fails that event only.
struct Claim {
  std::string tenant;
  std::string id;
  std::string topic;
  std::string payload;
  std::string created_at;
  long long attempts = 0;  // failed deliveries before this one
};

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

std::string describe(const Claim& claim) {
  return "event " + quoted(claim.id) + " (topic " + quoted(claim.topic) + ", tenant " +
         quoted(claim.tenant) + ")";
}

void require_name(const std::string& what, const std::string& value) {
  if (value.empty() || value.size() > kMaxNameLength) {
    throw OutboxError("an event needs a " + what + " of 1 to " + std::to_string(kMaxNameLength) +
                      " characters, got " + std::to_string(value.size()));
  }
}

// Pending, due, lease free, of a topic handled here; PostgreSQL skips rows another claim holds
// instead of waiting for it. SQLite has no row locks: the caller's BEGIN IMMEDIATE is the claim.
std::string claim_sql(const Subscriptions& subscriptions, store::Backend backend) {
  std::string sql =
      "SELECT tenant_id, event_id, topic, payload, created_at, attempts FROM tribe_outbox"
      " WHERE state = 'pending' AND next_attempt_at <= :due_by"
      " AND locked_until <= :lease_free_at";
  if (!subscriptions.any_topic()) {
    const std::size_t topics = subscriptions.topics().size();
    sql += " AND topic IN (";
    for (std::size_t i = 0; i < topics; ++i) sql += (i ? ", :topic" : ":topic") + std::to_string(i);
    sql += ")";
  }
  sql += " ORDER BY next_attempt_at, created_at, tenant_id, event_id LIMIT :batch";
  if (backend == store::Backend::Postgresql) sql += " FOR UPDATE SKIP LOCKED";
  return sql;
}

std::vector<Claim> select_due(soci::session& session, store::Backend backend,
                              const Subscriptions& subscriptions, long long now,
                              std::size_t batch) {
  std::vector<Claim> claims;
  Claim row;
  long long due_by = now;
  long long lease_free_at = now;
  long long limit = static_cast<long long>(batch);
  const std::vector<std::string> topics = subscriptions.topics();
  soci::statement select(session);
  select.exchange(soci::into(row.tenant));
  select.exchange(soci::into(row.id));
  select.exchange(soci::into(row.topic));
  select.exchange(soci::into(row.payload));
  select.exchange(soci::into(row.created_at));
  select.exchange(soci::into(row.attempts));
  select.exchange(soci::use(due_by, "due_by"));
  select.exchange(soci::use(lease_free_at, "lease_free_at"));
  for (std::size_t i = 0; i < topics.size(); ++i) {
    select.exchange(soci::use(topics[i], "topic" + std::to_string(i)));
  }
  select.exchange(soci::use(limit, "batch"));
  select.alloc();
  select.prepare(claim_sql(subscriptions, backend));
  select.define_and_bind();
  select.execute();
  while (select.fetch()) claims.push_back(row);
  return claims;
}

void set_leases(soci::session& session, const std::vector<Claim>& claims, long long until) {
  std::string tenant;
  std::string id;
  soci::statement lease = (session.prepare << "UPDATE tribe_outbox SET locked_until = :until"
                                              " WHERE tenant_id = :tenant AND event_id = :id",
                           soci::use(until), soci::use(tenant), soci::use(id));
  for (const auto& claim : claims) {
    tenant = claim.tenant;
    id = claim.id;
    lease.execute(true);
  }
}

// Leases due events in one committed transaction, so a crash before they are delivered only
// delays them until the lease expires.
std::vector<Claim> claim_due(store::Database& database, soci::session& session,
                             const Subscriptions& subscriptions, long long now,
                             long long lease_until, std::size_t batch) {
  store::WriteTransaction transaction(database, session);
  auto claims = select_due(session, database.backend(), subscriptions, now, batch);
  if (!claims.empty()) set_leases(session, claims, lease_until);
  transaction.commit();
  return claims;
}

std::set<std::string> delivered_handlers(soci::session& session, const Claim& claim) {
  std::set<std::string> handlers;
  std::string handler;
  soci::statement rows = (session.prepare << "SELECT handler FROM tribe_event_deliveries"
                                             " WHERE tenant_id = :tenant AND event_id = :id",
                          soci::into(handler), soci::use(claim.tenant), soci::use(claim.id));
  rows.execute();
  while (rows.fetch()) handlers.insert(handler);
  return handlers;
}

// Calls the handler; returns what it threw, if anything.
std::optional<std::string> call(const Subscriptions::Subscription& subscription,
                                const Event& event) {
  try {
    subscription.handle(event);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  } catch (...) {
    return std::string("an exception that is not a std::exception");
  }
}

void record_delivery(store::Sql& sql, const Claim& claim, const std::string& handler) {
  sql.change(
      "INSERT INTO tribe_event_deliveries (tenant_id, event_id, handler, delivered_at)"
      " VALUES (:tenant, :id, :handler, :delivered_at)"
      " ON CONFLICT (tenant_id, event_id, handler) DO NOTHING",
      {claim.tenant, claim.id, handler, store::utc_timestamp()});
}

void mark_delivered(store::Sql& sql, const Claim& claim) {
  sql.change(
      "UPDATE tribe_outbox SET state = 'delivered', locked_until = 0, last_error = ''"
      " WHERE tenant_id = :tenant AND event_id = :id",
      {claim.tenant, claim.id});
}

void schedule_retry(store::Sql& sql, const Claim& claim, long long attempts,
                    long long next_attempt_at, const std::string& error) {
  sql.change(
      "UPDATE tribe_outbox SET attempts = :attempts, next_attempt_at = :next,"
      " locked_until = 0, last_error = :error"
      " WHERE tenant_id = :tenant AND event_id = :id AND state = 'pending'",
      {attempts, next_attempt_at, error, claim.tenant, claim.id});
}

// What delivering one claimed event did; written back together with the others of its claim.
struct Delivery {
  const Claim* claim;
  std::vector<std::string> handlers;  // the handlers that took it this time
  std::string errors;                 // empty: every subscribed handler has it now
  long long attempts;
  long long next_attempt_at;  // when errors is not empty
};

// Calls every subscribed handler that does not have the event yet.
Delivery deliver(soci::session& session, const Claim& claim, const Subscriptions& subscriptions,
                 long long now, std::ostream& log) {
  const long long attempts = claim.attempts + 1;
  const auto delay = jobs::backoff_delay(static_cast<int>(attempts), kFirstRetry, kLongestRetry);
  const std::string retry = "; retrying in " + std::to_string(delay.count()) + " s";
  Delivery delivery{&claim, {}, {}, attempts, now + delay.count()};
  Event event{claim.tenant, claim.id, claim.topic, {}, claim.created_at};
  try {
    event.payload = sdk::Json::parse(claim.payload);
  } catch (const std::exception& e) {
    delivery.errors = "its payload is not JSON: " + std::string(e.what());
    jobs::log_line(log, "events", "error", describe(claim) + ": " + delivery.errors + retry);
    return delivery;
  }
  const auto delivered = delivered_handlers(session, claim);
  for (const auto& subscription : subscriptions.matching(claim.topic)) {
    if (delivered.count(subscription.handler)) continue;
    if (const auto error = call(subscription, event)) {
      delivery.errors +=
          (delivery.errors.empty() ? "" : "; ") + subscription.handler + ": " + *error;
      jobs::log_line(log, "events", "warn",
                     describe(claim) + ": handler " + quoted(subscription.handler) +
                         " failed on attempt " + std::to_string(attempts) + ": " + *error + retry);
    } else {
      delivery.handlers.push_back(subscription.handler);
    }
  }
  return delivery;
}

// One transaction for a whole claim's outcomes, taking its turn with the other writers: a crash
// before it commits delivers those events again, which handlers deduplicate.
void record(store::Database& database, soci::session& session,
            const std::vector<Delivery>& deliveries) {
  store::WriteTransaction transaction(database, session);
  store::Sql sql(database, session);
  for (const auto& delivery : deliveries) {
    for (const auto& handler : delivery.handlers) record_delivery(sql, *delivery.claim, handler);
    if (delivery.errors.empty()) {
      mark_delivered(sql, *delivery.claim);
    } else {
      schedule_retry(sql, *delivery.claim, delivery.attempts, delivery.next_attempt_at,
                     delivery.errors);
    }
  }
  transaction.commit();
}

}  // namespace

Outbox::Outbox(store::Database& database, std::chrono::seconds lease)
    : database_(database), lease_(lease) {
  if (lease_.count() < 1) throw OutboxError("an event lease must be at least 1 second");
}

Outbox::~Outbox() {
  stop();
}

int Outbox::migrate() {
  return database_.migrate("kernel.events", outbox_migrations());
}

bool Outbox::append_in(soci::session& in_transaction, const std::string& tenant,
                       const std::string& id, const std::string& topic, const sdk::Json& payload) {
  require_name("tenant", tenant);
  require_name("id", id);
  require_name("topic", topic);
  if (topic == "*") {
    throw OutboxError("event " + quoted(id) +
                      ": '*' is not a topic, it subscribes to every topic; name what happened, "
                      "e.g. 'order.paid'");
  }
  try {
    // ON CONFLICT DO NOTHING, not a caught unique violation: on PostgreSQL that would abort the
    // caller's transaction.
    store::Sql sql(database_, in_transaction);
    return sql.change(
               "INSERT INTO tribe_outbox (tenant_id, event_id, topic, payload, created_at)"
               " VALUES (:tenant, :id, :topic, :payload, :created_at)"
               " ON CONFLICT (tenant_id, event_id) DO NOTHING",
               {tenant, id, topic, payload.dump(), store::utc_timestamp()}) == 1;
  } catch (...) {
    store::rethrow_as_store_error(kTable);
  }
}

bool Outbox::append(const std::string& tenant, const std::string& id, const std::string& topic,
                    const sdk::Json& payload) {
  soci::session session(database_.pool());
  return append_in(session, tenant, id, topic, payload);
}

void Outbox::subscribe(const std::string& handler, const std::string& topic,
                       std::function<void(const Event&)> handle) {
  std::lock_guard lock(subscriptions_mutex_);
  subscriptions_.add(handler, topic, std::move(handle));
}

Subscriptions Outbox::subscriptions() const {
  std::lock_guard lock(subscriptions_mutex_);
  return subscriptions_;
}

std::size_t Outbox::deliver_pending(std::chrono::system_clock::time_point now, std::size_t batch,
                                    std::ostream* log) {
  const Subscriptions subscriptions = this->subscriptions();
  if (subscriptions.empty() || batch == 0) return 0;
  const long long now_seconds = store::unix_seconds(now);
  try {
    soci::session session(database_.pool());
    const auto claims = claim_due(database_, session, subscriptions, now_seconds,
                                  now_seconds + lease_.count(), batch);
    if (claims.empty()) return 0;
    std::vector<Delivery> deliveries;
    std::size_t made = 0;
    for (const auto& claim : claims) {
      deliveries.push_back(
          deliver(session, claim, subscriptions, now_seconds, log ? *log : std::cerr));
      made += deliveries.back().handlers.size();
    }
    record(database_, session, deliveries);
    return made;
  } catch (...) {
    store::rethrow_as_store_error(kTable);
  }
}

void Outbox::start(std::chrono::milliseconds poll, std::ostream* log) {
  poller_.start(
      poll, [this, log] { deliver_pending(std::chrono::system_clock::now(), 64, log); },
      log ? *log : std::cerr, "events", "delivering events");
}

void Outbox::stop() {
  poller_.stop();
}

std::size_t Outbox::pending(const std::string& tenant) const {
  long long count = 0;
  soci::session session(database_.pool());
  session << "SELECT COUNT(*) FROM tribe_outbox WHERE tenant_id = :tenant AND state = 'pending'",
      soci::into(count), soci::use(tenant);
  return static_cast<std::size_t>(count);
}

}  // namespace tribe::kernel::events
