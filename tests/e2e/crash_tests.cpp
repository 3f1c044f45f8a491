// Money survives crashes: `tribe serve` is killed -9 over and over during a storm of checkouts and
// payment webhooks, restarted each time on the same SQLite file, while clients retry with the same
// idempotency keys and a gateway model redelivers every event until it is acknowledged. After each
// crash and at the end the ledger balances, capacity is never oversold, and every paid order is
// paid, fulfilled and credited exactly once.
#include <Poco/Exception.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <iostream>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "http_client.hpp"
#include "kernel/money/webhook_signature.hpp"
#include "kernel/store/database.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kSecret = "sandbox-demo-secret-reading-club";
constexpr const char* kHost = "reading-club.localhost";
constexpr const char* kTenant = "reading-club";
constexpr const char* kCamp = "reading-camp";  // the offer capped at 50 seats
constexpr long long kCampCapacity = 50;

constexpr int kKills = 24;
constexpr int kMembers = 6;
constexpr int kBuyers = 4;                // threads creating orders
constexpr int kCouriers = 3;              // threads delivering webhooks: the gateway
constexpr int kMaxOrdersPerBuyer = 2000;  // a bound; the storm's end stops them first
constexpr auto kStormBudget = std::chrono::seconds(100);  // kills and restarts
constexpr auto kDrainBudget = std::chrono::seconds(40);   // after the last restart
constexpr auto kRestartWait = std::chrono::seconds(3);    // a client waits this for a new server

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// `tribe serve` across its crashes, on one --sites and --db: each start is a new process on a new
// port (an incarnation). Clients ask for the current one and, after a connection error, wait
// (bounded) for the next.
class CrashingServer {
 public:
  explicit CrashingServer(std::vector<std::string> args) : args_(std::move(args)) { restart(); }

  struct Incarnation {
    std::uint16_t port = 0;
    int generation = 0;
  };

  // The serving incarnation; waits up to `limit` while the server is down. port 0: still down.
  Incarnation serving(Clock::duration limit) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, limit, [&] { return up_; });
    return {up_ ? port_ : std::uint16_t{0}, generation_};
  }

  // After a connection error on `generation`: waits (bounded) for a later incarnation to serve.
  void wait_past(int generation) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kRestartWait, [&] { return up_ && generation_ > generation; });
  }

  void crash() {
    std::unique_ptr<ServedTribe> dying;
    {
      std::lock_guard lock(mutex_);
      up_ = false;
      dying = std::move(tribe_);
    }
    dying->kill();
  }

  // Starts a new incarnation; throws (with the server's output) when it does not start.
  void restart() {
    auto fresh = std::make_unique<ServedTribe>(args_);
    {
      std::lock_guard lock(mutex_);
      tribe_ = std::move(fresh);
      port_ = tribe_->port();
      ++generation_;
      up_ = true;
    }
    changed_.notify_all();
  }

  int generation() {
    std::lock_guard lock(mutex_);
    return generation_;
  }

  // SIGTERM to the serving incarnation; its exit code.
  int stop() {
    std::lock_guard lock(mutex_);
    up_ = false;
    return tribe_ ? tribe_->terminate() : -1;
  }

  std::string error_output() {
    std::lock_guard lock(mutex_);
    return tribe_ ? tribe_->error_output() : "";
  }

 private:
  std::vector<std::string> args_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::unique_ptr<ServedTribe> tribe_;
  std::uint16_t port_ = 0;
  int generation_ = 0;
  bool up_ = false;
};

// What the clients saw, for the summary and the assertions.
struct Tally {
  std::atomic<int> connection_errors{0};
  std::atomic<int> server_errors{0};  // 5xx answers, retried like connection errors
  std::atomic<int> order_requests{0};
  std::atomic<int> deliveries{0};
  std::atomic<int> planned_duplicates{0};
  std::atomic<int> concurrent_pairs{0};
  std::atomic<int> sold_out{0};
  // A retry answered "made before" / "duplicate": the crash came after the commit, before the
  // answer (the kill landed mid-request).
  std::atomic<int> orders_committed_unanswered{0};
  std::mutex mutex;
  std::map<int, int> errors_by_generation;
  std::vector<std::string> unexpected;  // answers no client should get; reported at the end
  std::string first_server_error;       // the first 5xx answer, to say why if events are stuck

  void connection_error(int generation) {
    ++connection_errors;
    std::lock_guard lock(mutex);
    ++errors_by_generation[generation];
  }
  void server_error(const HttpReply& reply) {
    ++server_errors;
    std::lock_guard lock(mutex);
    if (first_server_error.empty()) {
      first_server_error = std::to_string(reply.status) + " " + reply.body;
    }
  }
  void unexpected_answer(const std::string& what) {
    std::lock_guard lock(mutex);
    unexpected.push_back(what);
  }
};

// One idempotency key a buyer used, and every order id the server gave for it.
struct KeyRecord {
  int member = 0;
  std::string key;
  std::string offer;
  std::vector<std::string> ids;
  bool sold_out = false;
  bool answered = false;
};

// One payment.succeeded event of the gateway, delivered until acknowledged (2xx).
struct Event {
  std::string order_id;
  std::string body;
  bool concurrent = false;  // delivered by two couriers at once
  bool acknowledged = false;
  int applied = 0;     // deliveries answered "applied"
  int duplicates = 0;  // deliveries answered "duplicate"
  int deliveries = 0;
};

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tribe-crash-e2e-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "sites");
    fs::copy_file(fs::path(TRIBE_SOURCE_DIR) / "sites" / "reading-club.yaml",
                  dir_ / "sites" / "reading-club.yaml");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string database_url() const { return "sqlite:" + (dir_ / "tribe.db").string(); }

  template <typename T>
  T query(const std::string& sql) const {
    auto database = kernel::store::Database::open(database_url(), 1);
    soci::session session(database->pool());
    T value{};
    session << sql, soci::into(value);
    return value;
  }

  // The camp's stock as the database holds it: (taken, orders holding a seat), in one statement.
  std::pair<long long, long long> camp_stock() const {
    auto database = kernel::store::Database::open(database_url(), 1);
    soci::session session(database->pool());
    long long taken = 0;
    long long holding = 0;
    soci::indicator taken_indicator = soci::i_null;
    session << "SELECT (SELECT taken FROM tribe_offer_stock WHERE tenant_id = 'reading-club'"
               " AND offer_id = 'reading-camp'),"
               " (SELECT COUNT(*) FROM tribe_orders WHERE tenant_id = 'reading-club'"
               " AND offer_id = 'reading-camp' AND state IN ('pending', 'paid', 'fulfilled'))",
        soci::into(taken, taken_indicator), soci::into(holding);
    return {taken_indicator == soci::i_ok ? taken : 0, holding};
  }

  fs::path dir_;
};

std::string payment_body(const sdk::Json& order) {
  return sdk::Json{{"id", "evt-" + order["id"].get<std::string>()},
                   {"type", "payment.succeeded"},
                   {"order_id", order["id"]},
                   {"amount", order["amount"]},
                   {"currency", order["currency"]}}
      .dump();
}

TEST_F(CrashTest, KillNineDuringCheckoutsAndWebhooksLosesAndDoublesNothing) {
  const auto started = Clock::now();
  CrashingServer server({"--sites", (dir_ / "sites").string(), "--db", database_url(),
                         "--plugin-dir", TRIBE_PLUGIN_DIR});

  // Members sign up once; their sessions live in the database and survive every crash.
  std::vector<HttpVisitor> members;
  for (int m = 0; m < kMembers; ++m) {
    HttpVisitor visitor(server.serving(kRestartWait).port, kHost);
    visitor.get("/signup");
    const std::string name = "crash" + std::to_string(m);
    const HttpReply reply = visitor.post_form("/signup", {{"email", name + "@example.com"},
                                                          {"display_name", name},
                                                          {"password", "correct horse battery"}});
    ASSERT_EQ(reply.status, 303) << reply.body;
    ASSERT_FALSE(visitor.cookie("tribe_session").empty());
    members.push_back(visitor);
  }

  Tally tally;
  std::mutex state_mutex;  // guards keys, events, outbox, in_flight
  std::condition_variable outbox_changed;
  std::deque<KeyRecord> keys;
  std::deque<Event> events;
  std::deque<std::size_t> outbox;  // deliveries owed, by event index
  int in_flight = 0;
  std::atomic<bool> storm_over{false};
  std::atomic<bool> buyers_done{false};
  std::atomic<Clock::time_point> deadline{Clock::now() + kStormBudget + kDrainBudget};

  // One request against whatever incarnation serves now; nullopt after a connection error (and a
  // bounded wait for the next incarnation).
  auto attempt =
      [&](HttpVisitor& visitor,
          const std::function<HttpReply(HttpVisitor&)>& call) -> std::optional<HttpReply> {
    const auto incarnation = server.serving(kRestartWait);
    if (incarnation.port == 0) return std::nullopt;
    visitor.set_port(incarnation.port);
    try {
      HttpReply reply = call(visitor);
      if (reply.status >= 500) {
        tally.server_error(reply);
        return std::nullopt;
      }
      return reply;
    } catch (const Poco::Exception&) {
      tally.connection_error(incarnation.generation);
      server.wait_past(incarnation.generation);
      return std::nullopt;
    }
  };

  auto enqueue = [&](std::size_t event, int times) {
    {
      std::lock_guard lock(state_mutex);
      for (int i = 0; i < times; ++i) outbox.push_back(event);
    }
    outbox_changed.notify_all();
  };

  // A buyer orders, retrying the same key until the server answers; the first answer with an
  // order hands its payment event to the gateway. Some keys are sent twice (a double click).
  auto buyer = [&](int index) {
    std::vector<HttpVisitor> visitors = members;
    std::mt19937 random(1000 + index);
    for (int n = 0; n < kMaxOrdersPerBuyer && !storm_over && Clock::now() < deadline.load(); ++n) {
      KeyRecord record;
      record.member = (index + n) % kMembers;
      record.key = "crash-" + std::to_string(index) + "-" + std::to_string(n);
      // Each paid membership adds a year to its member's term, and a term cannot end past 2262
      // (what the clock holds): one order in eight, at most 8000 / 8 / kMembers ~ 170 years.
      record.offer = n % 4 == 1 ? kCamp : (n % 8 == 3 ? "membership" : "partner");
      const std::string body =
          sdk::Json{{"offer", record.offer}, {"idempotency_key", record.key}}.dump();
      const int sends = random() % 5 == 0 ? 2 : 1;
      for (int send = 0; send < sends; ++send) {
        bool answered = false;
        for (int tries = 0; !answered && Clock::now() < deadline.load(); ++tries) {
          ++tally.order_requests;
          auto reply = attempt(visitors[record.member], [&](HttpVisitor& visitor) {
            return visitor.post_json("/api/orders", body);
          });
          if (!reply) continue;
          answered = true;
          if (reply->status == 201 || reply->status == 200) {
            const sdk::Json order = sdk::Json::parse(reply->body, nullptr, false);
            if (!order.is_object() || !order.contains("id")) {
              tally.unexpected_answer("order " + record.key + ": " + reply->body);
              break;
            }
            if (reply->status == 200 && send == 0 && tries > 0) ++tally.orders_committed_unanswered;
            record.ids.push_back(order["id"].get<std::string>());
            if (record.ids.size() == 1) {
              std::size_t event = 0;
              {
                std::lock_guard lock(state_mutex);
                event = events.size();
                events.push_back(
                    {order["id"].get<std::string>(), payment_body(order), random() % 6 == 0});
              }
              // Some events reach the site two or three times on purpose.
              const int duplicates = random() % 4 == 0 ? 1 + static_cast<int>(random() % 2) : 0;
              tally.planned_duplicates += duplicates;
              enqueue(event, 1 + duplicates);
            }
          } else if (reply->status == 409 && record.offer == kCamp &&
                     reply->body.find("sold out") != std::string::npos) {
            record.sold_out = true;
          } else {
            tally.unexpected_answer("order " + record.key + ": HTTP " +
                                    std::to_string(reply->status) + " " + reply->body);
          }
        }
        record.answered = record.answered || answered;
      }
      if (record.sold_out) ++tally.sold_out;
      std::lock_guard lock(state_mutex);
      keys.push_back(std::move(record));
    }
  };

  // One delivery of an event: the answer recorded; false when it must be delivered again.
  auto deliver = [&](HttpVisitor& visitor, std::size_t index) {
    std::string body;
    {
      std::lock_guard lock(state_mutex);
      body = events[index].body;
    }
    ++tally.deliveries;
    auto reply = attempt(visitor, [&](HttpVisitor& gateway) {
      return gateway.post_raw(
          "/payments/sandbox/webhook", body,
          {{"Tribe-Signature", kernel::money::sign_webhook(kSecret, unix_now(), body)}});
    });
    std::lock_guard lock(state_mutex);
    Event& event = events[index];
    ++event.deliveries;
    if (!reply) return false;
    const sdk::Json answer = sdk::Json::parse(reply->body, nullptr, false);
    const std::string result =
        answer.is_object() && answer.contains("result") && answer["result"].is_string()
            ? answer["result"].get<std::string>()
            : "";
    if (reply->status != 200 || (result != "applied" && result != "duplicate")) {
      tally.unexpected_answer("event for order " + event.order_id + ": HTTP " +
                              std::to_string(reply->status) + " " + reply->body);
      return true;  // a refusal is an answer; redelivering would not change it
    }
    if (result == "applied") ++event.applied;
    if (result == "duplicate") ++event.duplicates;
    event.acknowledged = true;
    return true;
  };

  // The gateway: takes an owed delivery, delivers it (a sixth of the events by two couriers at
  // once), and owes it again until the site answers.
  auto courier = [&](int) {
    HttpVisitor visitor(0, kHost);
    HttpVisitor partner(0, kHost);
    while (Clock::now() < deadline.load()) {
      std::size_t index = 0;
      bool concurrent = false;
      {
        std::unique_lock lock(state_mutex);
        outbox_changed.wait_for(lock, milliseconds(100), [&] { return !outbox.empty(); });
        if (outbox.empty()) {
          if (buyers_done && in_flight == 0) return;
          continue;
        }
        index = outbox.front();
        outbox.pop_front();
        concurrent = events[index].concurrent;
        ++in_flight;
      }
      bool done = false;
      if (concurrent) {
        ++tally.concurrent_pairs;
        std::latch start(2);
        bool partner_done = false;
        std::thread helper([&] {
          start.arrive_and_wait();
          partner_done = deliver(partner, index);
        });
        start.arrive_and_wait();
        done = deliver(visitor, index);
        helper.join();
        done = done || partner_done;
      } else {
        done = deliver(visitor, index);
      }
      {
        std::lock_guard lock(state_mutex);
        if (!done) outbox.push_back(index);
        --in_flight;
      }
      outbox_changed.notify_all();
    }
  };

  std::vector<std::thread> threads;
  for (int b = 0; b < kBuyers; ++b) threads.emplace_back(buyer, b);
  for (int c = 0; c < kCouriers; ++c) threads.emplace_back(courier, c);

  // The storm: kill -9 at random-ish moments, check what the crash left, restart.
  std::mt19937 random(20261123);
  int kills = 0;
  int restart_failures = 0;
  std::vector<std::string> crash_problems;
  const auto storm_end = Clock::now() + kStormBudget;
  while (kills < kKills && Clock::now() < storm_end) {
    std::this_thread::sleep_for(milliseconds(150 + random() % 451));  // storm time, not a wait
    server.crash();
    ++kills;
    // As the crash left it, before anything restarts: balanced, capacity never oversold.
    const CommandResult check =
        run_command(tribe_binary(), {"ledger", "check", "--db", database_url()});
    if (check.exit_code != 0) {
      crash_problems.push_back("after kill " + std::to_string(kills) + ": " + check.out +
                               check.err);
    }
    const auto [taken, holding] = camp_stock();
    if (taken > kCampCapacity || taken != holding) {
      crash_problems.push_back("after kill " + std::to_string(kills) + ": camp taken " +
                               std::to_string(taken) + ", orders holding seats " +
                               std::to_string(holding));
    }
    try {
      server.restart();
    } catch (const std::exception& e) {
      ++restart_failures;
      crash_problems.push_back("restart after kill " + std::to_string(kills) + ": " + e.what());
      break;
    }
  }
  const int final_generation = server.generation();

  // Drain: no more kills; buyers finish the key in hand, the gateway delivers everything owed.
  storm_over = true;
  deadline = Clock::now() + kDrainBudget;
  for (int b = 0; b < kBuyers; ++b) threads[static_cast<std::size_t>(b)].join();
  buyers_done = true;
  outbox_changed.notify_all();
  for (std::size_t t = kBuyers; t < threads.size(); ++t) threads[t].join();

  ASSERT_TRUE(crash_problems.empty()) << crash_problems.front();
  ASSERT_EQ(restart_failures, 0);

  // Every key again, after everything: the same order, or still sold out.
  int replayed_mismatches = 0;
  for (KeyRecord& record : keys) {
    const std::string body =
        sdk::Json{{"offer", record.offer}, {"idempotency_key", record.key}}.dump();
    HttpVisitor& visitor = members[static_cast<std::size_t>(record.member)];
    visitor.set_port(server.serving(kRestartWait).port);
    const HttpReply reply = visitor.post_json("/api/orders", body);
    if (record.sold_out) {
      EXPECT_EQ(reply.status, 409) << record.key << " " << reply.body;
    } else if (reply.status == 200) {
      record.ids.push_back(sdk::Json::parse(reply.body)["id"].get<std::string>());
    } else {
      ++replayed_mismatches;
      ADD_FAILURE() << "key " << record.key << " replayed: HTTP " << reply.status << " "
                    << reply.body;
    }
  }
  EXPECT_EQ(replayed_mismatches, 0);
  const std::string server_errors = server.error_output();
  if (tally.server_errors > 0) {
    std::cout << "first 5xx answer: " << tally.first_server_error << "\nserver stderr (last 4000 "
              << "bytes):\n"
              << server_errors.substr(server_errors.size() > 4000 ? server_errors.size() - 4000 : 0)
              << std::endl;
  }
  EXPECT_EQ(server.stop(), 0) << server_errors;

  // What the clients saw.
  std::set<std::string> order_ids;
  int answered_keys = 0;
  for (const KeyRecord& record : keys) {
    if (record.answered) ++answered_keys;
    EXPECT_TRUE(record.answered) << "key " << record.key << " never got an answer";
    EXPECT_FALSE(record.sold_out && !record.ids.empty()) << record.key;
    for (const std::string& id : record.ids) {
      EXPECT_EQ(id, record.ids.front()) << "key " << record.key << " named two orders";
    }
    if (!record.ids.empty()) {
      EXPECT_TRUE(order_ids.insert(record.ids.front()).second)
          << "two keys named order " << record.ids.front();
    }
  }
  // An event no delivery saw "applied" was applied by one whose answer a kill cut off.
  int applied_unanswered = 0;
  for (const Event& event : events) {
    EXPECT_TRUE(event.acknowledged)
        << "event for order " << event.order_id << " never acknowledged after " << event.deliveries
        << " deliveries";
    EXPECT_LE(event.applied, 1) << "event for order " << event.order_id << " applied twice";
    if (event.applied == 0) ++applied_unanswered;
  }
  EXPECT_TRUE(tally.unexpected.empty())
      << tally.unexpected.size() << " unexpected answers, first: " << tally.unexpected.front();
  EXPECT_EQ(events.size(), order_ids.size());

  // What the database holds.
  auto database = kernel::store::Database::open(database_url(), 1);
  soci::session session(database->pool());
  auto count_of = [](const std::map<std::string, int>& counts, const std::string& id) {
    auto it = counts.find(id);
    return it == counts.end() ? 0 : it->second;
  };
  std::map<std::string, std::string> state_of;  // order id -> state
  {
    std::string id;
    std::string state;
    soci::statement rows = (session.prepare << "SELECT order_id, state FROM tribe_orders"
                                               " WHERE tenant_id = 'reading-club'",
                            soci::into(id), soci::into(state));
    rows.execute();
    while (rows.fetch()) state_of[id] = state;
  }
  std::map<std::string, int> payments_of;  // order id -> payment transfers
  std::vector<std::string> other_transfers;
  {
    std::string id;
    soci::statement rows = (session.prepare << "SELECT transfer_id FROM tribe_ledger_transfers"
                                               " WHERE tenant_id = 'reading-club'",
                            soci::into(id));
    rows.execute();
    while (rows.fetch()) {
      const std::string prefix = "order:";
      const std::string suffix = ":payment";
      if (id.starts_with(prefix) && id.ends_with(suffix)) {
        ++payments_of[id.substr(prefix.size(), id.size() - prefix.size() - suffix.size())];
      } else {
        other_transfers.push_back(id);
      }
    }
  }
  std::map<std::string, int> grants_of;  // order id -> entitlement grants
  {
    std::string id;
    int count = 0;
    soci::statement rows =
        (session.prepare << "SELECT order_id, COUNT(*) FROM tribe_entitlement_grants"
                            " WHERE tenant_id = 'reading-club' GROUP BY order_id",
         soci::into(id), soci::into(count));
    rows.execute();
    while (rows.fetch()) grants_of[id] = count;
  }

  EXPECT_EQ(state_of.size(), order_ids.size()) << "the database holds orders no client was given";
  int paid = 0;
  int fulfilled = 0;
  for (const std::string& id : order_ids) {
    ASSERT_TRUE(state_of.contains(id)) << "order " << id << " was given but is not stored";
    const std::string& state = state_of.at(id);
    EXPECT_TRUE(state == "paid" || state == "fulfilled")
        << "acknowledged order " << id << " is " << state;
    if (state == "paid" || state == "fulfilled") ++paid;
    EXPECT_EQ(count_of(payments_of, id), 1)
        << "order " << id << " has " << count_of(payments_of, id) << " payments";
    if (state == "fulfilled") {
      ++fulfilled;
      // Each offer grants one key: one grant row per fulfilled order.
      EXPECT_EQ(count_of(grants_of, id), 1)
          << "order " << id << " has " << count_of(grants_of, id) << " grants";
    }
  }
  for (const auto& [id, count] : payments_of) {
    EXPECT_TRUE(state_of.contains(id)) << "payment transfer for unknown order " << id;
  }
  for (const auto& [id, count] : grants_of) {
    EXPECT_TRUE(state_of.contains(id) && state_of.at(id) == "fulfilled")
        << "entitlement grant of order " << id << " that is not fulfilled";
  }
  EXPECT_TRUE(other_transfers.empty())
      << other_transfers.size()
      << " transfers that are no order's payment, first: " << other_transfers.front();
  EXPECT_EQ(payments_of.size(), static_cast<std::size_t>(paid));
  EXPECT_EQ(query<long long>("SELECT COUNT(*) FROM tribe_payment_events WHERE tenant_id = "
                             "'reading-club' AND outcome = 'applied'"),
            static_cast<long long>(order_ids.size()));
  // Revenue is what the paid orders cost, once.
  EXPECT_EQ(query<long long>("SELECT COALESCE(SUM(amount), 0) FROM tribe_ledger_entries WHERE "
                             "tenant_id = 'reading-club' AND account = 'site:revenue'"),
            -query<long long>("SELECT COALESCE(SUM(amount), 0) FROM tribe_orders WHERE "
                              "tenant_id = 'reading-club' AND state IN ('paid', 'fulfilled')"));

  // Capacity: never oversold, and no seat leaked by a crash.
  int camp_keys = 0;
  for (const KeyRecord& record : keys) camp_keys += record.offer == kCamp ? 1 : 0;
  const auto [taken, holding] = camp_stock();
  EXPECT_LE(taken, kCampCapacity);
  EXPECT_EQ(taken, holding);
  if (camp_keys > kCampCapacity) {
    EXPECT_EQ(taken, kCampCapacity) << "sold out with seats left";
    EXPECT_EQ(tally.sold_out.load(), camp_keys - kCampCapacity);
  }

  const CommandResult check =
      run_command(tribe_binary(), {"ledger", "check", "--db", database_url()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("ledger balanced"), std::string::npos) << check.out;

  // The kills landed during traffic, and only the kills broke connections.
  int kills_during_traffic = 0;
  int errors_after_last_restart = 0;
  for (const auto& [generation, errors] : tally.errors_by_generation) {
    if (generation < final_generation) ++kills_during_traffic;
    if (generation >= final_generation) errors_after_last_restart += errors;
  }
  EXPECT_GE(kills, 20);
  EXPECT_GT(tally.connection_errors.load(), 0);
  EXPECT_GE(kills_during_traffic, kills / 2);
  EXPECT_EQ(errors_after_last_restart, 0);

  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "crash storm: " << kills << " kills (" << kills_during_traffic
            << " broke requests in flight), " << answered_keys << " keys, " << order_ids.size()
            << " orders (" << paid << " paid, " << fulfilled << " fulfilled, " << holding
            << " camp seats, " << tally.sold_out << " sold out), " << tally.order_requests
            << " order requests, " << tally.deliveries << " webhook deliveries ("
            << tally.planned_duplicates << " planned duplicates, " << tally.concurrent_pairs
            << " concurrent pairs), " << tally.connection_errors << " connection errors, "
            << tally.server_errors << " 5xx; committed but unanswered (the kill cut the "
            << "answer off): " << tally.orders_committed_unanswered << " orders, "
            << applied_unanswered << " payments; " << seconds << " s\n";
}

}  // namespace
}  // namespace tribe::testing
