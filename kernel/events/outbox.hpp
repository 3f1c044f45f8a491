#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>

#include "kernel/events/event.hpp"
#include "kernel/events/subscriptions.hpp"
#include "kernel/jobs/polling_thread.hpp"
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::events {

// The transactional outbox: events are appended in the transaction of the state change they
// report (tribe_outbox), then delivered at least once to the handlers subscribed in this process,
// even if the process is killed right after the commit. A handler that succeeded for an event is
// recorded in tribe_event_deliveries and never called for it again; one that threw is retried
// with backoff (5 s doubling to 1 h, without end: follow-ups of payments must not be dropped).
// Several outboxes may share one database: an event is claimed with a lease (`FOR UPDATE SKIP
// LOCKED` on PostgreSQL, BEGIN IMMEDIATE on SQLite); a crash leaves the lease to expire. Every
// node must subscribe the same handlers: an event counts as delivered once every handler
// subscribed here for its topic has it. Events of a topic nobody here subscribes to wait.
class Outbox {
 public:
  explicit Outbox(store::Database& database, std::chrono::seconds lease = std::chrono::seconds(60));
  ~Outbox();  // stops the background thread
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Creates tribe_outbox and tribe_event_deliveries (component "kernel.events") if missing;
  // returns how many migrations applied.
  int migrate();

  // Inside the caller's open transaction on `in_transaction`: a repeated (tenant, id) is ignored
  // and returns false, without aborting that transaction. Throws OutboxError for an empty tenant,
  // id or topic, or the topic "*".
  bool append_in(soci::session& in_transaction, const std::string& tenant, const std::string& id,
                 const std::string& topic, const sdk::Json& payload);
  bool append(const std::string& tenant, const std::string& id, const std::string& topic,
              const sdk::Json& payload);

  // `handler` is a unique name per topic ("*" = every topic); see Subscriptions for the rules.
  void subscribe(const std::string& handler, const std::string& topic,
                 std::function<void(const Event&)> handle);

  // Claims up to `batch` events that are due (pending, next attempt <= now, lease free, topic
  // subscribed here) and calls their handlers outside the claim transaction, then records what
  // every handler of the claim did in one transaction (a crash before it commits delivers those
  // events again). Handler failures are logged to `log` (nullptr: stderr). Returns how many
  // (event, handler) deliveries succeeded.
  std::size_t deliver_pending(std::chrono::system_clock::time_point now, std::size_t batch = 64,
                              std::ostream* log = nullptr);

  // A background thread calling deliver_pending(system_clock::now()) every `poll`; no exception
  // escapes it (they are logged to `log`, nullptr: stderr). Throws std::logic_error if already
  // started. stop() joins the thread.
  void start(std::chrono::milliseconds poll = std::chrono::milliseconds(100),
             std::ostream* log = nullptr);
  void stop();

  // Events of `tenant` not yet delivered to all their handlers.
  std::size_t pending(const std::string& tenant) const;

 private:
  Subscriptions subscriptions() const;

  store::Database& database_;
  std::chrono::seconds lease_;
  mutable std::mutex subscriptions_mutex_;
  Subscriptions subscriptions_;
  jobs::PollingThread poller_;
};

}  // namespace tribe::kernel::events
