// The checkout benchmark's driver (tools/bench/run runs it; results in docs/benchmarks.md).
//
//   bench_checkout raw      --db URL [--clients N --duration S --warmup S]
//       The database's raw commit rate: N threads, each committing one-row INSERT transactions
//       (BEGIN IMMEDIATE on SQLite, like the kernel's writes) into a scratch table through
//       kernel/store's Database, so SQLite gets the kernel's pragmas. The table is dropped after.
//   bench_checkout checkout --port P --db URL [--clients N --members M --duration S --warmup S]
//       Checkouts against a running `tribe serve` on that database: signs up M members of the
//       reading club, then N threads each repeat POST /api/orders (unique idempotency key) ->
//       signed payment.succeeded webhook -> 200 "applied", over keep-alive connections. Every
//       64th order is read back (GET /api/orders/{id}: fulfilled). At the end the database must
//       hold every order fulfilled, with its payment transfer and entitlement grant.
//   bench_checkout postgres [--max-seconds S]
//       Starts a throwaway PostgreSQL 15 on loopback (tests/support/postgres_server), prints its
//       URL, and serves until SIGTERM or SIGINT (or the bound), then stops and deletes it.
//
// raw and checkout end with one line `result rate=R count=C seconds=S p50_ms=A p99_ms=B` and exit
// 1 if any request or commit failed or the database misses work: a benchmark whose work silently
// failed measures nothing.

#include <Poco/Exception.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <pthread.h>
#include <signal.h>
#include <soci/soci.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kernel/money/webhook_signature.hpp"
#include "kernel/store/database.hpp"
#include "kernel/store/write_transaction.hpp"
#include "tests/support/postgres_server.hpp"
#include "tribe/sdk/json.hpp"

namespace {

namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;
using tribe::sdk::Json;

constexpr const char* kTenant = "reading-club";
constexpr const char* kHost = "reading-club.localhost";
constexpr const char* kSecret = "sandbox-demo-secret-reading-club";  // sites/reading-club.yaml
constexpr const char* kPassword = "correct horse battery";
constexpr int kRequestTimeoutSeconds = 10;
constexpr int kSampleEvery = 64;  // read one order in this many back over GET /api/orders/{id}
// A membership (P1Y) renewed more than ~236 times from 2026 would end after 2262, the last year
// system_clock holds, and the kernel refuses that (kernel/money/term.hpp). Each member therefore
// buys at most this many times; the pool's size bounds the run's count.
constexpr int kOrdersPerMember = 200;
constexpr int kMaxSeconds = 600;
constexpr int kMaxClients = 256;
constexpr int kMaxMembers = 10000;

struct Settings {
  std::string mode;
  std::string database_url;
  int port = 0;
  int clients = 8;
  int members = 128;
  int duration = 10;
  int warmup = 2;
  int max_seconds = 3600;
  std::string offer = "membership";
  std::string run_id;
};

// ---- figures -----------------------------------------------------------------------------------

struct Figures {
  std::size_t count = 0;  // completed in the measured window
  double seconds = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double rate() const { return seconds > 0 ? static_cast<double>(count) / seconds : 0; }
};

// Latencies in microseconds; sorts them.
double percentile_ms(std::vector<std::uint32_t>& micros, double fraction) {
  if (micros.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(micros.size())) - 1);
  const auto at = micros.begin() + static_cast<std::ptrdiff_t>(std::min(rank, micros.size() - 1));
  std::nth_element(micros.begin(), at, micros.end());
  return *at / 1000.0;
}

std::uint32_t micros_between(Clock::time_point from, Clock::time_point to) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(micros, 0, UINT32_MAX));
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

void print_result(const Figures& figures) {
  std::cout << "result rate=" << fixed(figures.rate(), 1) << " count=" << figures.count
            << " seconds=" << fixed(figures.seconds, 2) << " p50_ms=" << fixed(figures.p50_ms, 2)
            << " p99_ms=" << fixed(figures.p99_ms, 2) << std::endl;
}

// The first failure of any thread; the others stop at their next step.
class Failure {
 public:
  void set(const std::string& what) {
    std::lock_guard lock(mutex_);
    if (!failed_.exchange(true)) message_ = what;
  }
  bool failed() const { return failed_.load(); }
  std::string message() const {
    std::lock_guard lock(mutex_);
    return message_;
  }

 private:
  mutable std::mutex mutex_;
  std::atomic<bool> failed_{false};
  std::string message_;
};

// Runs `body(thread_index)` on `count` threads, turning exceptions into `failure`.
template <typename Body>
void run_threads(int count, Failure& failure, Body body) {
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(count));
  for (int index = 0; index < count; ++index) {
    threads.emplace_back([&failure, &body, index] {
      try {
        body(index);
      } catch (const Poco::Exception& e) {
        failure.set("client " + std::to_string(index) + ": " + e.displayText());
      } catch (const std::exception& e) {
        failure.set("client " + std::to_string(index) + ": " + e.what());
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

// The measured window of a load: warm-up first, then `duration` seconds; work completing inside
// the window is counted, and no new work starts after it.
struct Window {
  Window(int warmup, int duration)
      : start(Clock::now()),
        measure_from(start + std::chrono::seconds(warmup)),
        measure_until(measure_from + std::chrono::seconds(duration)) {}
  bool measured(Clock::time_point done) const {
    return done >= measure_from && done < measure_until;
  }
  Clock::time_point start, measure_from, measure_until;
};

// What one load thread measured.
struct Tally {
  std::size_t total = 0;               // including warm-up and after the window
  std::vector<std::uint32_t> latency;  // measured window only, microseconds
  Clock::time_point last_done{};       // of a measured item
};

Figures summarise(std::vector<Tally>& tallies, const Window& window, bool stopped_early) {
  Figures figures;
  std::vector<std::uint32_t> all;
  Clock::time_point last = window.measure_from;
  for (auto& tally : tallies) {
    all.insert(all.end(), tally.latency.begin(), tally.latency.end());
    last = std::max(last, tally.last_done);
  }
  figures.count = all.size();
  // A run stopped by its count bound is timed up to its last measured completion.
  const auto end = stopped_early ? std::min(last, window.measure_until) : window.measure_until;
  figures.seconds = std::chrono::duration<double>(end - window.measure_from).count();
  figures.p50_ms = percentile_ms(all, 0.50);
  figures.p99_ms = percentile_ms(all, 0.99);
  return figures;
}

// ---- raw commits -------------------------------------------------------------------------------

constexpr const char* kRawTable = "bench_raw_commits";

int run_raw(const Settings& settings) {
  namespace store = tribe::kernel::store;
  auto database = store::Database::open(settings.database_url, settings.clients);
  const store::Backend backend = database->backend();
  {
    soci::session session(database->pool());
    // Not PostgreSQL's notice that the table to drop does not exist.
    if (backend == store::Backend::Postgresql) session << "SET client_min_messages = warning";
    session << "DROP TABLE IF EXISTS " << kRawTable;
    session << "CREATE TABLE " << kRawTable
            << " (client INTEGER NOT NULL, seq BIGINT NOT NULL, note TEXT NOT NULL,"
               " PRIMARY KEY (client, seq))";
  }
  std::cerr << "raw: " << settings.clients << " clients committing one-row INSERTs into "
            << database->display_url() << " (" << settings.warmup << " s warm-up, "
            << settings.duration << " s measured)\n";

  Failure failure;
  const Window window(settings.warmup, settings.duration);
  std::vector<Tally> tallies(static_cast<std::size_t>(settings.clients));
  run_threads(settings.clients, failure, [&](int index) {
    Tally& tally = tallies[static_cast<std::size_t>(index)];
    soci::session session(database->pool());
    int client = index;
    long long seq = 0;
    std::string note = "raw commit";
    soci::statement insert =
        (session.prepare << "INSERT INTO " << kRawTable
                         << " (client, seq, note) VALUES (:client, :seq, :note)",
         soci::use(client), soci::use(seq), soci::use(note));
    while (!failure.failed() && Clock::now() < window.measure_until) {
      const auto began = Clock::now();
      {
        store::WriteTransaction transaction(*database, session);
        insert.execute(true);
        transaction.commit();
      }
      const auto done = Clock::now();
      ++seq;
      ++tally.total;
      if (window.measured(done)) {
        tally.latency.push_back(micros_between(began, done));
        tally.last_done = done;
      }
    }
  });
  if (failure.failed()) {
    std::cerr << "raw: failed: " << failure.message() << '\n';
    return EXIT_FAILURE;
  }

  std::size_t committed = 0;
  for (const auto& tally : tallies) committed += tally.total;
  long long rows = 0;
  {
    soci::session session(database->pool());
    session << "SELECT COUNT(*) FROM " << kRawTable, soci::into(rows);
    session << "DROP TABLE " << kRawTable;
  }
  if (rows != static_cast<long long>(committed)) {
    std::cerr << "raw: " << committed << " commits reported but " << rows << " rows stored\n";
    return EXIT_FAILURE;
  }
  const Figures figures = summarise(tallies, window, false);
  std::cerr << "raw: " << committed << " commits in all, all " << rows << " rows stored\n";
  print_result(figures);
  return EXIT_SUCCESS;
}

// ---- checkouts ---------------------------------------------------------------------------------

struct Reply {
  int status = 0;
  std::string body;
};

using Cookies = std::map<std::string, std::string>;

// One keep-alive connection to the server, for one client thread.
class Connection {
 public:
  explicit Connection(int port) : session_("127.0.0.1", static_cast<Poco::UInt16>(port)) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(kRequestTimeoutSeconds, 0));
  }

  // Sends the jar's cookies (if any) and keeps the ones the server sets.
  Reply send(const std::string& method, const std::string& path, const std::string& body,
             const std::string& content_type, const std::map<std::string, std::string>& headers,
             Cookies* jar) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost(kHost);
    request.setKeepAlive(true);
    if (jar && !jar->empty()) {
      Poco::Net::NameValueCollection cookies;
      for (const auto& [name, value] : *jar) cookies.add(name, value);
      request.setCookies(cookies);
    }
    for (const auto& [name, value] : headers) request.set(name, value);
    if (method == Poco::Net::HTTPRequest::HTTP_GET) {
      session_.sendRequest(request);
    } else {
      request.setContentType(content_type);
      request.setContentLength64(static_cast<Poco::Int64>(body.size()));
      session_.sendRequest(request) << body;
    }
    Poco::Net::HTTPResponse response;
    Reply reply;
    Poco::StreamCopier::copyToString(session_.receiveResponse(response), reply.body);
    reply.status = static_cast<int>(response.getStatus());
    if (jar) {
      std::vector<Poco::Net::HTTPCookie> cookies;
      response.getCookies(cookies);
      for (const auto& cookie : cookies) (*jar)[cookie.getName()] = cookie.getValue();
    }
    return reply;
  }

 private:
  Poco::Net::HTTPClientSession session_;
};

std::string excerpt(const std::string& text) {
  return text.size() <= 300 ? text : text.substr(0, 300) + "...";
}

void expect_status(const Reply& reply, int status, const std::string& what) {
  if (reply.status != status) {
    throw std::runtime_error(what + " answered " + std::to_string(reply.status) + ", expected " +
                             std::to_string(status) + ": " + excerpt(reply.body));
  }
}

struct Member {
  std::string email;
  Cookies cookies;  // tribe_csrf and tribe_session
  int orders = 0;
};

void sign_up(Connection& connection, Member& member) {
  expect_status(connection.send("GET", "/signup", "", "", {}, &member.cookies), 200, "GET /signup");
  Poco::Net::HTMLForm form;
  form.set("email", member.email);
  form.set("display_name", "Bench reader");
  form.set("password", kPassword);
  form.set("csrf_token", member.cookies["tribe_csrf"]);
  std::ostringstream body;
  form.write(body);
  expect_status(connection.send("POST", "/signup", body.str(), "application/x-www-form-urlencoded",
                                {}, &member.cookies),
                303, "POST /signup for " + member.email);
  if (member.cookies["tribe_session"].empty()) {
    throw std::runtime_error("sign-up of " + member.email + " set no tribe_session cookie");
  }
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Json parse_json(const Reply& reply, const std::string& what) {
  Json json = Json::parse(reply.body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    throw std::runtime_error(what + " did not answer a JSON object: " + excerpt(reply.body));
  }
  return json;
}

// One checkout's two steps, timed apart for the report.
struct CheckoutTimes {
  std::uint32_t order_micros = 0;
  std::uint32_t webhook_micros = 0;
};

// POST /api/orders -> the signed payment.succeeded webhook -> "applied"; returns the order id.
std::string checkout(Connection& browser, Connection& gateway, Member& member,
                     const Settings& settings, const std::string& key, CheckoutTimes& times) {
  const auto began = Clock::now();
  const Reply ordered = browser.send(
      "POST", "/api/orders", Json{{"offer", settings.offer}, {"idempotency_key", key}}.dump(),
      "application/json", {{"X-CSRF-Token", member.cookies["tribe_csrf"]}}, &member.cookies);
  expect_status(ordered, 201, "POST /api/orders (" + key + ")");
  const Json order = parse_json(ordered, "POST /api/orders");
  const auto order_done = Clock::now();

  const std::string order_id = order.value("id", "");
  const Json event = {{"id", "evt_" + key},
                      {"type", "payment.succeeded"},
                      {"order_id", order_id},
                      {"amount", order.at("amount")},
                      {"currency", order.at("currency")}};
  const std::string body = event.dump();
  const Reply paid = gateway.send(
      "POST", "/payments/sandbox/webhook", body, "application/json",
      {{"Tribe-Signature", tribe::kernel::money::sign_webhook(kSecret, unix_now(), body)}},
      nullptr);
  expect_status(paid, 200, "the webhook for order " + order_id);
  const Json outcome = parse_json(paid, "the webhook");
  if (outcome.value("result", "") != "applied") {
    throw std::runtime_error("the webhook for order " + order_id +
                             " was not applied: " + excerpt(paid.body));
  }
  const auto done = Clock::now();
  times.order_micros = micros_between(began, order_done);
  times.webhook_micros = micros_between(order_done, done);
  return order_id;
}

void expect_fulfilled(Connection& browser, Member& member, const std::string& order_id) {
  const Reply read = browser.send("GET", "/api/orders/" + order_id, "", "", {}, &member.cookies);
  expect_status(read, 200, "GET /api/orders/" + order_id);
  const Json order = parse_json(read, "GET /api/orders/" + order_id);
  if (order.value("state", "") != "fulfilled") {
    throw std::runtime_error("order " + order_id + " is '" + order.value("state", "") +
                             "' right after its webhook, not fulfilled");
  }
}

// Checks in the database that every order of this run is fulfilled, with its payment transfer in
// the ledger and its entitlement grant; prints what it counted. Returns whether all is there.
bool verify_orders(const Settings& settings, std::size_t expected) {
  auto database = tribe::kernel::store::Database::open(settings.database_url, 1);
  soci::session session(database->pool());
  const std::string tenant = kTenant;
  const std::string pattern = "bench-" + settings.run_id + "-%";
  long long orders = 0, fulfilled = 0, transfers = 0, grants = 0;
  session << "SELECT COUNT(*) FROM tribe_orders WHERE tenant_id = :tenant AND "
             "idempotency_key LIKE :pattern",
      soci::use(tenant), soci::use(pattern), soci::into(orders);
  session << "SELECT COUNT(*) FROM tribe_orders WHERE tenant_id = :tenant AND "
             "idempotency_key LIKE :pattern AND state = 'fulfilled'",
      soci::use(tenant), soci::use(pattern), soci::into(fulfilled);
  session << "SELECT COUNT(*) FROM tribe_orders o JOIN tribe_ledger_transfers t ON "
             "t.tenant_id = o.tenant_id AND t.transfer_id = 'order:' || o.order_id || ':payment' "
             "WHERE o.tenant_id = :tenant AND o.idempotency_key LIKE :pattern",
      soci::use(tenant), soci::use(pattern), soci::into(transfers);
  session << "SELECT COUNT(*) FROM tribe_orders o JOIN tribe_entitlement_grants g ON "
             "g.tenant_id = o.tenant_id AND g.order_id = o.order_id "
             "WHERE o.tenant_id = :tenant AND o.idempotency_key LIKE :pattern",
      soci::use(tenant), soci::use(pattern), soci::into(grants);
  const auto want = static_cast<long long>(expected);
  std::cerr << "checkout: database " << database->display_url() << ": " << orders << " orders, "
            << fulfilled << " fulfilled, " << transfers << " payment transfers, " << grants
            << " entitlement grants; " << want << " checkouts answered\n";
  return orders == want && fulfilled == want && transfers == want && grants == want;
}

int run_checkout(const Settings& settings) {
  if (settings.port <= 0 || settings.port > 65535) {
    throw std::invalid_argument("checkout needs --port of the running `tribe serve`");
  }
  // Each client owns members index, index + clients, ...: no two clients write one member's rows.
  std::vector<Member> members(static_cast<std::size_t>(settings.members));
  for (std::size_t i = 0; i < members.size(); ++i) {
    members[i].email = "bench-" + settings.run_id + "-" + std::to_string(i) + "@example.com";
  }
  Failure failure;
  const auto signup_began = Clock::now();
  run_threads(settings.clients, failure, [&](int index) {
    Connection connection(settings.port);
    for (std::size_t i = static_cast<std::size_t>(index); i < members.size() && !failure.failed();
         i += static_cast<std::size_t>(settings.clients)) {
      sign_up(connection, members[i]);
    }
  });
  if (failure.failed()) {
    std::cerr << "checkout: sign-up failed: " << failure.message() << '\n';
    return EXIT_FAILURE;
  }
  std::cerr << "checkout: signed up " << members.size() << " members in "
            << fixed(std::chrono::duration<double>(Clock::now() - signup_began).count(), 1)
            << " s; " << settings.clients << " clients buy '" << settings.offer << "' ("
            << settings.warmup << " s warm-up, " << settings.duration << " s measured)\n";

  const Window window(settings.warmup, settings.duration);
  std::vector<Tally> tallies(static_cast<std::size_t>(settings.clients));
  std::vector<std::vector<std::uint32_t>> order_micros(tallies.size());
  std::vector<std::vector<std::uint32_t>> webhook_micros(tallies.size());
  std::atomic<bool> bound_reached{false};
  run_threads(settings.clients, failure, [&](int index) {
    const auto client = static_cast<std::size_t>(index);
    Tally& tally = tallies[client];
    Connection browser(settings.port);
    Connection gateway(settings.port);
    std::vector<Member*> mine;
    for (std::size_t i = client; i < members.size(); i += tallies.size()) {
      mine.push_back(&members[i]);
    }
    std::size_t next = 0;
    for (std::size_t seq = 0;
         !failure.failed() && !bound_reached && Clock::now() < window.measure_until; ++seq) {
      Member& member = *mine[next++ % mine.size()];
      if (member.orders >= kOrdersPerMember) {
        // Members are used in turn: all of this client's are at the bound. Everyone stops, so
        // that the figures stay those of all clients together.
        bound_reached = true;
        break;
      }
      ++member.orders;
      const std::string key =
          "bench-" + settings.run_id + "-" + std::to_string(index) + "-" + std::to_string(seq);
      CheckoutTimes times;
      const auto began = Clock::now();
      const std::string order_id = checkout(browser, gateway, member, settings, key, times);
      const auto done = Clock::now();
      ++tally.total;
      if (window.measured(done)) {
        tally.latency.push_back(micros_between(began, done));
        tally.last_done = done;
        order_micros[client].push_back(times.order_micros);
        webhook_micros[client].push_back(times.webhook_micros);
      }
      if (seq % kSampleEvery == 0) expect_fulfilled(browser, member, order_id);
    }
  });
  std::size_t answered = 0;
  for (const auto& tally : tallies) answered += tally.total;
  if (failure.failed()) {
    std::cerr << "checkout: failed after " << answered << " checkouts: " << failure.message()
              << '\n';
    return EXIT_FAILURE;
  }
  if (bound_reached) {
    std::cerr << "checkout: stopped early: a client's members each bought " << kOrdersPerMember
              << " times (raise --members for longer runs); timed to the last checkout\n";
  }
  if (!verify_orders(settings, answered)) {
    std::cerr << "checkout: the database does not hold every answered checkout as fulfilled\n";
    return EXIT_FAILURE;
  }
  auto merged = [](std::vector<std::vector<std::uint32_t>>& parts) {
    std::vector<std::uint32_t> all;
    for (auto& part : parts) all.insert(all.end(), part.begin(), part.end());
    return all;
  };
  std::vector<std::uint32_t> orders = merged(order_micros);
  std::vector<std::uint32_t> webhooks = merged(webhook_micros);
  std::cerr << "checkout: POST /api/orders p50 " << fixed(percentile_ms(orders, 0.5), 2)
            << " ms, p99 " << fixed(percentile_ms(orders, 0.99), 2) << " ms; webhook p50 "
            << fixed(percentile_ms(webhooks, 0.5), 2) << " ms, p99 "
            << fixed(percentile_ms(webhooks, 0.99), 2) << " ms\n";
  const Figures figures = summarise(tallies, window, bound_reached);
  if (figures.count == 0) {
    std::cerr << "checkout: nothing completed in the measured window; raise --members\n";
    return EXIT_FAILURE;
  }
  print_result(figures);
  return EXIT_SUCCESS;
}

// ---- a throwaway PostgreSQL --------------------------------------------------------------------

int run_postgres(const Settings& settings) {
  tribe::test::PostgresServer server;  // throws saying what is missing
  // Blocked only now: the server's processes must not inherit a mask without SIGTERM.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::cout << server.url() << std::endl;
  const timespec bound{settings.max_seconds, 0};
  if (sigtimedwait(&stop_signals, nullptr, &bound) < 0) {
    std::cerr << "bench_checkout postgres: nobody stopped the server within "
              << settings.max_seconds << " s; stopping it\n";
  }
  return EXIT_SUCCESS;  // ~PostgresServer stops the server and deletes its files
}

// ---- command line ------------------------------------------------------------------------------

std::string default_run_id() {
  return std::to_string(unix_now()) + "-" + std::to_string(::getpid());
}

void check_range(const char* name, int value, int low, int high) {
  if (value < low || value > high) {
    throw std::invalid_argument(std::string("--") + name + " must be " + std::to_string(low) +
                                " to " + std::to_string(high) + ", not " + std::to_string(value));
  }
}

std::optional<Settings> parse(int argc, char** argv) {
  Settings settings;
  po::options_description options("bench_checkout raw|checkout|postgres options");
  options.add_options()("help,h", "this help")("db", po::value(&settings.database_url),
                                               "database URL: sqlite:PATH or postgresql://...")(
      "port", po::value(&settings.port), "checkout: port of the running `tribe serve`")(
      "clients", po::value(&settings.clients)->default_value(settings.clients),
      "client threads (raw: each with its own database session)")(
      "members", po::value(&settings.members)->default_value(settings.members),
      "checkout: members signed up before the load; each buys at most 200 times")(
      "duration", po::value(&settings.duration)->default_value(settings.duration),
      "measured seconds")("warmup", po::value(&settings.warmup)->default_value(settings.warmup),
                          "seconds of load before measuring")(
      "offer", po::value(&settings.offer)->default_value(settings.offer),
      "checkout: the reading club's offer to buy (one without capacity)")(
      "run-id", po::value(&settings.run_id), "checkout: names this run's emails and keys")(
      "max-seconds", po::value(&settings.max_seconds)->default_value(settings.max_seconds),
      "postgres: stop the server after this long if nobody did");
  po::options_description hidden;
  hidden.add_options()("mode", po::value(&settings.mode));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("mode", 1);
  po::variables_map values;
  po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), values);
  po::notify(values);
  if (values.count("help")) {
    std::cout << "usage: bench_checkout raw|checkout|postgres [options]\n" << options;
    return std::nullopt;
  }
  if (settings.mode != "raw" && settings.mode != "checkout" && settings.mode != "postgres") {
    throw std::invalid_argument("say what to run: raw, checkout or postgres (--help for more)");
  }
  if (settings.mode != "postgres" && settings.database_url.empty()) {
    throw std::invalid_argument(settings.mode + " needs --db URL");
  }
  check_range("clients", settings.clients, 1, kMaxClients);
  check_range("members", settings.members, settings.clients, kMaxMembers);
  check_range("duration", settings.duration, 1, kMaxSeconds);
  check_range("warmup", settings.warmup, 0, kMaxSeconds);
  check_range("max-seconds", settings.max_seconds, 1, 24 * 3600);
  if (settings.run_id.empty()) settings.run_id = default_run_id();
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::optional<Settings> settings = parse(argc, argv);
    if (!settings) return EXIT_SUCCESS;
    if (settings->mode == "raw") return run_raw(*settings);
    if (settings->mode == "checkout") return run_checkout(*settings);
    return run_postgres(*settings);
  } catch (const Poco::Exception& e) {
    std::cerr << "bench_checkout: " << e.displayText() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "bench_checkout: " << e.what() << '\n';
  }
  return EXIT_FAILURE;
}
