// Members and money over HTTP, as browsers and payment gateways reach a real `tribe serve`: sign-up
// and log-in with sessions and CSRF, checkout through the sandbox gateway's signed webhooks, and
// what one site's session or order id gets on another site.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <latch>
#include <regex>
#include <thread>

#include "child_process.hpp"
#include "http_client.hpp"
#include "kernel/money/webhook_signature.hpp"
#include "kernel/store/database.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kSecret = "sandbox-demo-secret-reading-club";
constexpr const char* kReadingHost = "reading-club.localhost";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The demo sites served from a temp dir with their own SQLite file.
class MembersMoneyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tribe-money-e2e-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "sites");
    for (const auto& file : fs::directory_iterator(fs::path(TRIBE_SOURCE_DIR) / "sites")) {
      fs::copy_file(file.path(), dir_ / "sites" / file.path().filename());
    }
    server_ = new ServedTribe({"--sites", (dir_ / "sites").string(), "--db", database_url(),
                               "--plugin-dir", TRIBE_PLUGIN_DIR});
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(dir_);
  }
  static std::string database_url() { return "sqlite:" + (dir_ / "tribe.db").string(); }
  static std::uint16_t port() { return server_->port(); }

  static HttpVisitor reading_visitor() { return HttpVisitor(port(), kReadingHost); }

  // A new member of the reading club, logged in. Emails are unique per test run.
  static HttpVisitor new_member(const std::string& name) {
    HttpVisitor visitor = reading_visitor();
    visitor.get("/signup");
    const HttpReply reply = visitor.post_form("/signup", {{"email", name + "@example.com"},
                                                          {"display_name", name},
                                                          {"password", "correct horse battery"}});
    EXPECT_EQ(reply.status, 303) << reply.body;
    return visitor;
  }

  // Reads one value straight from the database file the server writes.
  template <typename T>
  static T query(const std::string& sql) {
    auto database = kernel::store::Database::open(database_url(), 1);
    soci::session session(database->pool());
    T value{};
    session << sql, soci::into(value);
    return value;
  }

  static sdk::Json create_order(HttpVisitor& visitor, const std::string& offer,
                                const std::string& key, int expected_status = 201) {
    const HttpReply reply = visitor.post_json(
        "/api/orders", sdk::Json{{"offer", offer}, {"idempotency_key", key}}.dump());
    EXPECT_EQ(reply.status, expected_status) << reply.body;
    return sdk::Json::parse(reply.body);
  }

  static HttpReply deliver_webhook(const sdk::Json& event, std::int64_t signed_at = unix_now(),
                                   const std::string& secret = kSecret) {
    const std::string body = event.dump();
    return reading_visitor().post_raw(
        "/payments/sandbox/webhook", body,
        {{"Tribe-Signature", kernel::money::sign_webhook(secret, signed_at, body)}});
  }

  static sdk::Json paid_event(const sdk::Json& order, const std::string& event_id) {
    return {{"id", event_id},
            {"type", "payment.succeeded"},
            {"order_id", order["id"]},
            {"amount", order["amount"]},
            {"currency", order["currency"]}};
  }

  static long long payments_of(const std::string& order_id) {
    return query<long long>(
        "SELECT COUNT(*) FROM tribe_ledger_transfers WHERE tenant_id = 'reading-club' AND "
        "transfer_id = 'order:" +
        order_id + ":payment'");
  }

  static inline fs::path dir_;
  static inline ServedTribe* server_ = nullptr;
};

TEST_F(MembersMoneyTest, SignUpStartsASessionInAHardenedCookie) {
  HttpVisitor visitor = reading_visitor();
  const HttpReply form = visitor.get("/signup");
  EXPECT_EQ(form.status, 200);
  ASSERT_FALSE(visitor.cookie("tribe_csrf").empty());
  EXPECT_THAT(form.body, HasSubstr("name=\"csrf_token\" value=\"" + visitor.cookie("tribe_csrf")));

  const HttpReply signed_up = visitor.post_form("/signup", {{"email", "Ada@Example.com"},
                                                            {"display_name", "Ada"},
                                                            {"password", "correct horse battery"},
                                                            {"next", "/offers"}});
  EXPECT_EQ(signed_up.status, 303);
  EXPECT_EQ(signed_up.location, "/offers");
  ASSERT_EQ(signed_up.set_cookie.size(), 1u);
  EXPECT_THAT(signed_up.set_cookie[0], StartsWith("tribe_session="));
  EXPECT_THAT(signed_up.set_cookie[0], HasSubstr("HttpOnly"));
  EXPECT_THAT(signed_up.set_cookie[0], HasSubstr("SameSite=Lax"));
  EXPECT_THAT(signed_up.set_cookie[0], HasSubstr("path=/"));
  EXPECT_THAT(signed_up.set_cookie[0], ::testing::Not(HasSubstr("secure")));
  EXPECT_GE(visitor.cookie("tribe_session").size(), 43u);  // 256 random bits, base64url

  const HttpReply account = visitor.get("/account");
  EXPECT_EQ(account.status, 200);
  EXPECT_THAT(account.body, HasSubstr("Ada"));
}

TEST_F(MembersMoneyTest, PasswordsAreStoredAsArgon2id) {
  new_member("grace");
  const auto hash = query<std::string>(
      "SELECT password_hash FROM tribe_accounts WHERE tenant_id = 'reading-club' AND "
      "email = 'grace@example.com'");
  EXPECT_THAT(hash, StartsWith("$argon2id$v=19$m=19456,t=2,"));
  EXPECT_THAT(hash, ::testing::Not(HasSubstr("correct horse")));
}

TEST_F(MembersMoneyTest, LogInRotatesTheSessionTokenAndLogOutEndsIt) {
  HttpVisitor visitor = new_member("linus");
  const std::string first = visitor.cookie("tribe_session");
  const HttpReply logged_in = visitor.post_form(
      "/login", {{"email", "linus@example.com"}, {"password", "correct horse battery"}});
  EXPECT_EQ(logged_in.status, 303);
  const std::string second = visitor.cookie("tribe_session");
  EXPECT_NE(first, second);

  HttpVisitor stale = reading_visitor();
  stale.set_cookie("tribe_session", first);
  EXPECT_EQ(stale.get("/account").status, 303) << "the token from before log-in still works";
  EXPECT_EQ(visitor.get("/account").status, 200);

  EXPECT_EQ(visitor.post_form("/logout", {}).status, 303);
  HttpVisitor after = reading_visitor();
  after.set_cookie("tribe_session", second);
  EXPECT_EQ(after.get("/account").status, 303);
}

TEST_F(MembersMoneyTest, APostWithoutTheCsrfTokenIsRefusedAndChangesNothing) {
  HttpVisitor visitor = reading_visitor();
  visitor.get("/signup");
  const HttpReply refused = visitor.post_form(
      "/signup", {{"email", "mallory@example.com"}, {"password", "correct horse battery"}}, false);
  EXPECT_EQ(refused.status, 403);
  const HttpReply forged = visitor.post_form("/signup", {{"email", "mallory@example.com"},
                                                         {"password", "correct horse battery"},
                                                         {"csrf_token", "not-the-cookie"}});
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(query<long long>("SELECT COUNT(*) FROM tribe_accounts WHERE email = "
                             "'mallory@example.com'"),
            0);

  HttpVisitor member = new_member("trent");
  const HttpReply api =
      member.post_json("/api/orders", R"({"offer":"membership","idempotency_key":"k"})",
                       {{"X-CSRF-Token", "wrong"}});
  EXPECT_EQ(api.status, 403);
}

TEST_F(MembersMoneyTest, FailedLogInsAreThrottledWithAClearMessage) {
  new_member("victim");
  HttpVisitor attacker = reading_visitor();
  attacker.get("/login");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(attacker.post_form("/login", {{"email", "victim@example.com"}, {"password", "guess"}})
                  .status,
              401);
  }
  const HttpReply throttled = attacker.post_form(
      "/login", {{"email", "victim@example.com"}, {"password", "correct horse battery"}});
  EXPECT_EQ(throttled.status, 429);
  EXPECT_THAT(throttled.body, HasSubstr("try again in"));
  EXPECT_FALSE(throttled.header("Retry-After").empty());
}

TEST_F(MembersMoneyTest, SandboxCheckoutPaysTheOrderThroughASignedWebhook) {
  HttpVisitor visitor = new_member("reader");
  EXPECT_EQ(visitor.get("/members").status, 403);  // the guarded page, before buying
  const HttpReply offers = visitor.get("/offers");
  EXPECT_EQ(offers.status, 200);
  EXPECT_THAT(offers.body, HasSubstr("年度会员"));
  EXPECT_THAT(offers.body, HasSubstr("199.00 CNY"));
  std::smatch key;
  ASSERT_TRUE(std::regex_search(offers.body, key,
                                std::regex("name=\"idempotency_key\" value=\"([^\"]+)\"")));

  const HttpReply ordered =
      visitor.post_form("/orders", {{"offer", "membership"}, {"idempotency_key", key[1].str()}});
  ASSERT_EQ(ordered.status, 303) << ordered.body;
  ASSERT_THAT(ordered.location, StartsWith("/checkout/"));
  const std::string order_id = ordered.location.substr(std::string("/checkout/").size());
  // A double-clicked Buy posts the same key: the same order.
  EXPECT_EQ(
      visitor.post_form("/orders", {{"offer", "membership"}, {"idempotency_key", key[1].str()}})
          .location,
      ordered.location);

  const HttpReply checkout = visitor.get(ordered.location);
  EXPECT_EQ(checkout.status, 200);
  EXPECT_THAT(checkout.body, HasSubstr("pending"));
  const HttpReply paid = visitor.post_form(ordered.location + "/pay", {{"outcome", "succeeded"}});
  EXPECT_EQ(paid.status, 303);

  // Paid, then fulfilled in the same transaction: the membership's entitlement is granted.
  const auto order = sdk::Json::parse(visitor.get("/api/orders/" + order_id).body);
  EXPECT_EQ(order["state"], "fulfilled");
  EXPECT_EQ(payments_of(order_id), 1);
  const HttpReply account = visitor.get("/account");
  EXPECT_THAT(account.body, HasSubstr("<li id=\"entitlement-member\" class=\"active\">"));
  EXPECT_THAT(account.body, HasSubstr("fulfilled"));
  EXPECT_EQ(visitor.get("/members").status, 200);
  EXPECT_EQ(reading_visitor().get("/members").status, 303);  // a visitor is sent to log in
}

TEST_F(MembersMoneyTest, TheSameWebhook100TimesConcurrentlyCreditsOnce) {
  HttpVisitor visitor = new_member("buyer100");
  EXPECT_EQ(visitor.get("/groups/reading-camp").status, 403);
  const sdk::Json order = create_order(visitor, "reading-camp", "once");
  const sdk::Json event = paid_event(order, "evt_concurrent_" + order["id"].get<std::string>());
  std::latch start(10);
  std::atomic<int> ok{0};
  std::vector<std::thread> gateways;
  for (int t = 0; t < 10; ++t) {
    gateways.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 10; ++i) {
        if (deliver_webhook(event).status == 200) ++ok;
      }
    });
  }
  for (auto& thread : gateways) thread.join();
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(payments_of(order["id"]), 1);
  EXPECT_EQ(
      sdk::Json::parse(visitor.get("/api/orders/" + order["id"].get<std::string>()).body)["state"],
      "fulfilled");
  // The paid group opens for its term; before, it refused.
  EXPECT_EQ(visitor.get("/groups/reading-camp").status, 200);
}

TEST_F(MembersMoneyTest, ForgedAndStaleWebhooksAreRefusedAndCreditNothing) {
  HttpVisitor visitor = new_member("forger");
  const sdk::Json order = create_order(visitor, "reading-camp", "forged");
  const sdk::Json event = paid_event(order, "evt_forged_" + order["id"].get<std::string>());
  EXPECT_EQ(deliver_webhook(event, unix_now(), "not-the-secret").status, 400);
  EXPECT_EQ(deliver_webhook(event, unix_now() - 301).status, 400);
  EXPECT_EQ(reading_visitor().post_raw("/payments/sandbox/webhook", event.dump(), {}).status, 400);
  EXPECT_EQ(payments_of(order["id"]), 0);
  EXPECT_THAT(server_->error_output(), HasSubstr("sandbox webhook refused"));
  // The genuine event still applies: refusals recorded nothing under its id.
  EXPECT_EQ(deliver_webhook(event).status, 200);
  EXPECT_EQ(payments_of(order["id"]), 1);
}

TEST_F(MembersMoneyTest, AnIdempotencyKeyReusedWithOtherParametersIs409) {
  HttpVisitor visitor = new_member("keys");
  const sdk::Json first = create_order(visitor, "membership", "same-key");
  const sdk::Json again = create_order(visitor, "membership", "same-key", 200);
  EXPECT_EQ(again["id"], first["id"]);
  const sdk::Json conflict = create_order(visitor, "reading-camp", "same-key", 409);
  EXPECT_THAT(conflict.dump(), HasSubstr("idempotency"));
}

TEST_F(MembersMoneyTest, AnotherSitesSessionAndOrderIdGetNothing) {
  HttpVisitor reader = new_member("crosser");
  const sdk::Json order = create_order(reader, "membership", "cross");

  HttpVisitor runner(port(), "night-runners.localhost");
  runner.set_cookie("tribe_session", reader.cookie("tribe_session"));
  runner.set_cookie("tribe_csrf", reader.cookie("tribe_csrf"));
  EXPECT_EQ(runner.get("/account").status, 303);  // not logged in there: sent to log in
  const HttpReply foreign = runner.get("/api/orders/" + order["id"].get<std::string>());
  EXPECT_EQ(foreign.status, 404);
  EXPECT_THAT(foreign.body, ::testing::Not(HasSubstr(order["id"].get<std::string>())));
  EXPECT_EQ(runner.get("/checkout/" + order["id"].get<std::string>()).status, 303);

  // Logged in on the other site too: still not this site's order.
  HttpVisitor runner_member(port(), "night-runners.localhost");
  runner_member.get("/signup");
  runner_member.post_form(
      "/signup", {{"email", "crosser@example.com"}, {"password", "correct horse battery"}});
  EXPECT_EQ(runner_member.get("/api/orders/" + order["id"].get<std::string>()).status, 404);
  EXPECT_EQ(runner_member.get("/checkout/" + order["id"].get<std::string>()).status, 404);
}

TEST_F(MembersMoneyTest, AnAdminConfirmsBankTransfersFromTheList) {
  auto runner_member = [&](const std::string& email) {
    HttpVisitor visitor(port(), "night-runners.localhost");
    visitor.get("/signup");
    EXPECT_EQ(
        visitor.post_form("/signup", {{"email", email}, {"password", "correct horse battery"}})
            .status,
        303);
    return visitor;
  };
  HttpVisitor runner = runner_member("transfer-runner@example.com");
  const sdk::Json order = create_order(runner, "season-pass", "transfer-1");
  const std::string id = order["id"];
  EXPECT_EQ(order["provider"], "manual");
  EXPECT_EQ(runner.get("/admin/transfers").status, 403);  // members do not see the list

  HttpVisitor coach = runner_member("coach@night-runners.example");
  const HttpReply list = coach.get("/admin/transfers");
  EXPECT_EQ(list.status, 200);
  EXPECT_THAT(list.body, HasSubstr("id=\"order-" + id + "\""));
  const HttpReply confirmed =
      coach.post_form("/payments/manual/" + id + "/confirm", {{"back", "transfers"}});
  EXPECT_EQ(confirmed.status, 303);
  EXPECT_EQ(confirmed.location, "/admin/transfers");
  EXPECT_THAT(coach.get("/admin/transfers").body, ::testing::Not(HasSubstr("order-" + id)));
  EXPECT_EQ(sdk::Json::parse(runner.get("/api/orders/" + id).body)["state"], "fulfilled");
  // Confirming twice credits once.
  EXPECT_EQ(coach.post_form("/payments/manual/" + id + "/confirm", {}).status, 303);
  EXPECT_EQ(query<long long>("SELECT COUNT(*) FROM tribe_ledger_transfers WHERE tenant_id = "
                             "'night-runners' AND transfer_id = 'order:" +
                             id + ":payment'"),
            1);
}

// A member who signed up through `link` (a partner link, or none) and paid for `offer`.
struct Buyer {
  HttpVisitor visitor;
  std::string id;
  std::string order;
};

TEST_F(MembersMoneyTest, ARefundInsideTheWindowReversesTheCommissionsOnBothLevels) {
  auto join = [&](const std::string& name, const std::string& link, const std::string& offer) {
    HttpVisitor visitor = reading_visitor();
    if (!link.empty()) {
      EXPECT_EQ(visitor.get(link).status, 200);
    }
    visitor.get("/signup");
    EXPECT_EQ(visitor
                  .post_form("/signup", {{"email", name + "@example.com"},
                                         {"password", "correct horse battery"}})
                  .status,
              303);
    const sdk::Json order = create_order(visitor, offer, name + "-" + offer);
    EXPECT_EQ(deliver_webhook(paid_event(order, "evt_" + name)).status, 200);
    const std::string id = sdk::Json::parse(visitor.get("/api/me").body)["id"];
    return Buyer{visitor, id, order["id"]};
  };
  auto commission_states = [&](HttpVisitor& partner) {
    std::vector<std::string> states;
    const sdk::Json page = sdk::Json::parse(partner.get("/api/partner").body);
    for (const auto& commission : page["commissions"]) {
      states.push_back(commission["display_amount"].get<std::string>() + " L" +
                       std::to_string(commission["level"].get<int>()) + " " +
                       commission["state"].get<std::string>());
    }
    return states;
  };

  Buyer top = join("refund-top", "", "partner");
  Buyer middle = join("refund-middle", "/?ref=" + top.id, "partner");
  Buyer reader = join("refund-reader", "/?ref=" + middle.id, "membership");
  EXPECT_EQ(sdk::Json::parse(reader.visitor.get("/api/me").body)["stage"], "member");
  EXPECT_THAT(commission_states(middle.visitor), ::testing::ElementsAre("19.90 CNY L1 held"));
  // The top partner earns level 2 (5%) on the reader; the partner offer pays no commission.
  EXPECT_THAT(commission_states(top.visitor), ::testing::ElementsAre("9.95 CNY L2 held"));
  EXPECT_EQ(reader.visitor.get("/members").status, 200);

  const HttpReply refunded = reader.visitor.post_form("/orders/" + reader.order + "/refund", {});
  EXPECT_EQ(refunded.status, 303) << refunded.body;
  EXPECT_EQ(sdk::Json::parse(reader.visitor.get("/api/orders/" + reader.order).body)["state"],
            "refunded");
  EXPECT_THAT(commission_states(middle.visitor), ::testing::ElementsAre("19.90 CNY L1 reversed"));
  EXPECT_THAT(commission_states(top.visitor), ::testing::ElementsAre("9.95 CNY L2 reversed"));
  EXPECT_EQ(reader.visitor.get("/members").status, 403);  // the membership ended with the refund
  // A second refund of the same order is refused; nothing moves twice.
  EXPECT_EQ(reader.visitor.post_form("/orders/" + reader.order + "/refund", {}).status, 409);
  EXPECT_EQ(query<long long>("SELECT COUNT(*) FROM tribe_ledger_transfers WHERE transfer_id = "
                             "'order:" +
                             reader.order + ":refund'"),
            1);
}

TEST_F(MembersMoneyTest, BadSignUpFieldsAreRefusedWithTheReasonAndStoreNothing) {
  HttpVisitor visitor = reading_visitor();
  visitor.get("/signup");
  const HttpReply short_password =
      visitor.post_form("/signup", {{"email", "shorty@example.com"}, {"password", "short"}});
  EXPECT_EQ(short_password.status, 400);
  EXPECT_THAT(short_password.body, HasSubstr("at least 8"));
  EXPECT_THAT(short_password.body, HasSubstr("value=\"shorty@example.com\""));  // kept in the form
  const HttpReply bad_email =
      visitor.post_form("/signup", {{"email", "not-an-email"}, {"password", "long enough pw"}});
  EXPECT_EQ(bad_email.status, 400);
  EXPECT_TRUE(visitor.cookie("tribe_session").empty());
  EXPECT_EQ(query<long long>("SELECT COUNT(*) FROM tribe_accounts WHERE email IN "
                             "('shorty@example.com', 'not-an-email')"),
            0);
  // `next` cannot send the visitor to another site.
  HttpVisitor other = reading_visitor();
  other.get("/signup");
  const HttpReply redirected = other.post_form("/signup", {{"email", "nextjump@example.com"},
                                                           {"password", "correct horse battery"},
                                                           {"next", "//evil.example/"}});
  EXPECT_EQ(redirected.location, "/account");
}

TEST_F(MembersMoneyTest, MalformedOrdersAndEventsGet400AndChangeNothing) {
  HttpVisitor visitor = new_member("malformed");
  EXPECT_EQ(visitor.post_json("/api/orders", "{not json").status, 400);
  EXPECT_EQ(visitor.post_json("/api/orders", R"({"offer": "membership"})").status, 400);
  EXPECT_EQ(visitor.post_json("/api/orders", R"({"offer":"gold","idempotency_key":"g"})").status,
            404);
  EXPECT_EQ(
      visitor
          .post_json("/api/orders", R"({"offer":"membership","idempotency_key":"q","quantity":0})")
          .status,
      400);
  EXPECT_EQ(reading_visitor().post_json("/api/orders", R"({"offer":"membership"})").status, 403);

  const std::string body = R"({"id": "evt_x", "type": "payment.succeeded"})";
  const HttpReply event = reading_visitor().post_raw(
      "/payments/sandbox/webhook", body,
      {{"Tribe-Signature", kernel::money::sign_webhook(kSecret, unix_now(), body)}});
  EXPECT_EQ(event.status, 400);
  EXPECT_THAT(event.body, HasSubstr("order_id"));
  EXPECT_EQ(query<long long>("SELECT COUNT(*) FROM tribe_payment_events WHERE event_id = 'evt_x'"),
            0);
}

// Behind a reverse proxy named with --trusted-proxy, its X-Forwarded-* headers decide the client
// address (throttling) and the Secure flag; from anyone else they are ignored.
TEST(TrustedProxy, ForwardedHeadersCountOnlyFromTheNamedProxy) {
  const fs::path dir =
      fs::temp_directory_path() / ("tribe-proxy-e2e-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sites");
  fs::copy_file(fs::path(TRIBE_SOURCE_DIR) / "sites" / "reading-club.yaml",
                dir / "sites" / "reading-club.yaml");
  {
    ServedTribe proxied({"--sites", (dir / "sites").string(), "--db",
                         "sqlite:" + (dir / "tribe.db").string(), "--plugin-dir", TRIBE_PLUGIN_DIR,
                         "--trusted-proxy", "127.0.0.1"});
    auto through_proxy = [&](const std::string& client) {
      HttpVisitor visitor(proxied.port(), kReadingHost);
      visitor.get("/login");
      return visitor.post_form(
          "/login", {{"email", "nobody@example.com"}, {"password", "x"}}, true,
          {{"X-Forwarded-For", "198.51.100.1, " + client}, {"X-Forwarded-Proto", "https"}});
    };
    HttpVisitor secure(proxied.port(), kReadingHost);
    const HttpReply page = secure.get("/signup", {{"X-Forwarded-Proto", "https"}});
    ASSERT_FALSE(page.set_cookie.empty());
    EXPECT_THAT(page.set_cookie[0], HasSubstr("secure"));
    // 20 failures from one forwarded address (with other emails, so the account limit is not
    // what trips) throttle that address only.
    for (int i = 0; i < 20; ++i) {
      HttpVisitor visitor(proxied.port(), kReadingHost);
      visitor.get("/login");
      EXPECT_EQ(visitor
                    .post_form("/login",
                               {{"email", "guess" + std::to_string(i) + "@example.com"},
                                {"password", "x"}},
                               true, {{"X-Forwarded-For", "203.0.113.7"}})
                    .status,
                401);
    }
    EXPECT_EQ(through_proxy("203.0.113.7").status, 429);
    EXPECT_EQ(through_proxy("203.0.113.8").status, 401);
  }
  fs::remove_all(dir);
}

TEST_F(MembersMoneyTest, ForwardedHeadersFromAnUntrustedPeerAreIgnored) {
  HttpVisitor visitor = reading_visitor();
  const HttpReply page = visitor.get("/signup", {{"X-Forwarded-Proto", "https"}});
  ASSERT_FALSE(page.set_cookie.empty());
  EXPECT_THAT(page.set_cookie[0], ::testing::Not(HasSubstr("secure")));
}

TEST_F(MembersMoneyTest, TheLedgerBalancesAfterEverything) {
  const CommandResult check =
      run_command(tribe_binary(), {"ledger", "check", "--db", database_url()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_THAT(check.out, HasSubstr("ledger balanced"));
}

}  // namespace
}  // namespace tribe::testing
