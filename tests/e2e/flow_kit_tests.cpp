// The SDK's flow kit through a real plugin (tests/fixture-plugins/flowkit, loaded from its .so by
// a real `tribe serve`) over HTTP: sell once, subscribe with a term, reserve a seat, a deposit
// given back or forfeited, and escrow pledges released or given back at the deadline; the money
// is checked in the ledger the server wrote.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "http_client.hpp"
#include "kernel/money/ledger.hpp"
#include "kernel/store/database.hpp"
#include "site_walk.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kHost = "flowkit.localhost";
constexpr const char* kTenant = "flowkit";

std::string site_yaml(long long deadline_unix) {
  const std::string deadline = std::to_string(deadline_unix);
  return R"(id: flowkit
name: Flow kit
type: flowkit-fixture
locale: en
hosts: [flowkit.localhost]
admins: [admin@flowkit.example]
payments:
  provider: sandbox
  secret: flowkit-sandbox-secret
offers:
  - {id: book, kind: product, title: Book, price: 3000, currency: CNY, grants: [book]}
  - {id: pass, kind: membership, title: Pass, price: 1000, currency: CNY, term: P1M,
     grants: [pass]}
  - {id: seat, kind: ticket, title: Seat, price: 500, currency: CNY, capacity: 2, grants: [seat]}
  - {id: deposit, kind: challenge, title: Deposit, price: 9900, currency: CNY, holds: deposit,
     forfeit_to: "site:charity"}
  - {id: pledge, kind: pledge, title: Pledge, price: 10000, currency: CNY, holds: escrow,
     fee: "5%"}
  - {id: big-pledge, kind: pledge, title: Big pledge, price: 10000, currency: CNY, holds: escrow}
  - {id: founders-dinner, kind: ticket, title: Founders' dinner, price: 2000, currency: CNY,
     requires_tags: ["role:founder"]}
  - {id: intro, kind: intro, title: Intro, price: 5000, currency: CNY, sold_by: plugin}
tags:
  role: [founder, investor]
  city: [上海, 北京]
fixture_flowkit:
  book_offer: book
  pass_offer: pass
  seat_offer: seat
  deposit_offer: deposit
  campaigns:
    - {offer: pledge, goal: 20000, deadline_unix: )" +
         deadline + R"(}
    - {offer: big-pledge, goal: 1000000, deadline_unix: )" +
         deadline + R"(}
)";
}

class FlowKitTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tribe-flowkit-e2e-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sites");
    const auto in_a_day = std::chrono::system_clock::now() + std::chrono::hours(24);
    std::ofstream(dir_ / "sites" / "flowkit.yaml") << site_yaml(
        std::chrono::duration_cast<std::chrono::seconds>(in_a_day.time_since_epoch()).count());
    serve("");
    admin_ = new HttpVisitor(member("admin@flowkit.example"));
  }
  static void TearDownTestSuite() {
    delete admin_;
    delete server_;
    fs::remove_all(dir_);
  }

  // (Re)starts the server on the same database, `offset` (ISO 8601) ahead of now.
  static void serve(const std::string& offset) {
    delete server_;
    server_ = nullptr;
    std::vector<std::string> args = {
        "--sites",      (dir_ / "sites").string(),
        "--db",         database_url(),
        "--plugin-dir", TRIBE_PLUGIN_DIR,
        "--plugin-dir", TRIBE_BINARY_DIR "/tests/fixture-plugins-flowkit"};
    if (!offset.empty()) {
      args.push_back("--clock-offset");
      args.push_back(offset);
    }
    server_ = new ServedTribe(args);
    if (admin_) admin_->set_port(server_->port());
  }

  static std::string database_url() { return "sqlite:" + (dir_ / "tribe.db").string(); }

  static HttpVisitor member(const std::string& email) {
    HttpVisitor browser(server_->port(), kHost);
    browser.get("/signup");
    const HttpReply reply =
        browser.post_form("/signup", {{"email", email}, {"password", "correct horse battery"}});
    EXPECT_EQ(reply.status, 303) << reply.body;
    return browser;
  }

  static std::string pay(HttpVisitor& browser, const std::string& path, const std::string& key) {
    return testing::buy_through_sandbox(browser, path, key);
  }

  static sdk::Json json(HttpVisitor& browser, const std::string& path) {
    return testing::get_json(browser, path);
  }

  static sdk::Json post(HttpVisitor& browser, const std::string& path) {
    const HttpReply reply = browser.post_form(path, {});
    EXPECT_EQ(reply.status, 200) << path << ": " << reply.body;
    return sdk::Json::parse(reply.body, nullptr, false);
  }

  static std::int64_t balance(const std::string& account) {
    auto database = kernel::store::Database::open(database_url(), 1);
    return kernel::money::Ledger(*database).balance(kTenant, account, "CNY");
  }

  // The points the site has issued and not taken back: what its members hold.
  static std::int64_t issued_points() {
    auto database = kernel::store::Database::open(database_url(), 1);
    return kernel::money::Ledger(*database).balance(kTenant, "site:points", "PTS");
  }

  static void expect_ledger_balanced() {
    const CommandResult check =
        run_command(tribe_binary(), {"ledger", "check", "--db", database_url()});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  }

  static inline fs::path dir_;
  static inline ServedTribe* server_ = nullptr;
  static inline HttpVisitor* admin_ = nullptr;
};

TEST_F(FlowKitTest, SellOnceSubscriptionAndSeatReservation) {
  HttpVisitor buyer = member("buyer@example.com");
  EXPECT_EQ(json(buyer, "/api/book")["owned"], false);
  pay(buyer, "/book/buy", "book-1");
  EXPECT_EQ(json(buyer, "/api/book")["owned"], true);

  EXPECT_EQ(json(buyer, "/api/pass")["active"], false);
  pay(buyer, "/pass/subscribe", "pass-1");
  const sdk::Json pass = json(buyer, "/api/pass");
  EXPECT_EQ(pass["active"], true);
  const long long first_end = pass["ends_at_unix"];
  pay(buyer, "/pass/subscribe", "pass-2");  // renewing early extends from the old end
  const long long renewed_end = json(buyer, "/api/pass")["ends_at_unix"];
  EXPECT_GE(renewed_end - first_end, 28LL * 86400);
  EXPECT_LE(renewed_end - first_end, 31LL * 86400);

  EXPECT_EQ(json(buyer, "/api/seats")["left"], 2);
  pay(buyer, "/seats/reserve", "seat-1");
  HttpVisitor second = member("second@example.com");
  pay(second, "/seats/reserve", "seat-2");
  EXPECT_EQ(json(buyer, "/api/seats")["left"], 0);
  HttpVisitor third = member("third@example.com");
  EXPECT_EQ(third.post_form("/seats/reserve", {{"idempotency_key", "seat-3"}}).status, 409);
  // A Buy form without its idempotency key orders nothing and says why.
  const HttpReply keyless = buyer.post_form("/book/buy", {});
  EXPECT_EQ(keyless.status, 400);
  EXPECT_THAT(keyless.body, ::testing::HasSubstr("idempotency_key"));
  // A visitor is sent to log in; nothing is ordered.
  HttpVisitor visitor(server_->port(), kHost);
  visitor.get("/signup");
  const HttpReply anonymous = visitor.post_form("/book/buy", {{"idempotency_key", "anon"}});
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_THAT(anonymous.location, ::testing::StartsWith("/login"));
  expect_ledger_balanced();
}

TEST_F(FlowKitTest, PluginsHearOfEachPaidOrderOnceThroughTheOutbox) {
  HttpVisitor buyer = member("listener@example.com");
  const std::string first = pay(buyer, "/book/buy", "heard-1");
  const std::string second = pay(buyer, "/pass/subscribe", "heard-2");
  // Delivered after the commit by the outbox's background thread: wait for it, bounded.
  auto heard = [&] {
    std::set<std::string> orders;
    for (const auto& row : json(*admin_, "/api/paid")) orders.insert(row["order_id"]);
    return orders;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!(heard().count(first) && heard().count(second)) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(heard().count(first), 1u);
  EXPECT_EQ(heard().count(second), 1u);
  // Every event written for them went out, once to the fixture's handler (other plugins loaded
  // from the same folder are told too, and ignore a site they do not serve).
  auto database = kernel::store::Database::open(database_url(), 1);
  soci::session session(database->pool());
  long long deliveries = 0;
  session
      << "SELECT COUNT(*) FROM tribe_event_deliveries WHERE handler LIKE 'plugin.fixture_flowkit.%'"
         " AND event_id IN ('order.paid:" +
             first + "', 'order.paid:" + second + "')",
      soci::into(deliveries);
  EXPECT_EQ(deliveries, 2);
}

TEST_F(FlowKitTest, DepositsComeBackOnCompletionAndAreForfeitedOtherwise) {
  HttpVisitor finisher = member("finisher@example.com");
  HttpVisitor quitter = member("quitter@example.com");
  const std::string kept = pay(finisher, "/challenge/join", "deposit-finisher");
  const std::string lost = pay(quitter, "/challenge/join", "deposit-quitter");
  EXPECT_EQ(balance("deposits:deposit"), -2 * 9900);  // held: a credit of the pot
  EXPECT_EQ(post(finisher, "/challenge/done")["done"], true);

  EXPECT_EQ(admin_->post_form("/challenge/settle", {}).status, 200);
  EXPECT_EQ(order_state(finisher, kept), "refunded");  // given back through the sandbox gateway
  EXPECT_EQ(order_state(quitter, lost), "fulfilled");
  EXPECT_EQ(balance("deposits:deposit"), 0);
  EXPECT_EQ(balance("site:charity"), -9900);  // the forfeit went where the YAML says
  const sdk::Json settled_again = post(*admin_, "/challenge/settle");
  EXPECT_EQ(settled_again["given_back"], 0);
  EXPECT_EQ(settled_again["forfeited"], 0);
  const sdk::Json deposits = json(*admin_, "/api/holdings/deposit");
  ASSERT_EQ(deposits.size(), 2u);
  std::map<std::string, std::string> states;
  for (const auto& deposit : deposits) states[deposit["order"]] = deposit["state"];
  EXPECT_EQ(states[kept], "returned");
  EXPECT_EQ(states[lost], "forfeited");
  EXPECT_EQ(quitter.post_form("/challenge/settle", {}).status, 403);  // admins only
  // The plugin's funnel steps beside the kernel's: one finisher counted, the failing step null.
  const sdk::Json steps = json(*admin_, "/api/funnel")["steps"];
  EXPECT_EQ(steps, sdk::Json({{"fixture_flowkit.challenge_done", 1},
                              {"fixture_flowkit.broken", nullptr}}));
  expect_ledger_balanced();
}

TEST_F(FlowKitTest, TagsDecideWhoMayBuyAndAPluginOnlyOfferSellsOnlyThroughItsPlugin) {
  HttpVisitor ann = member("tagged-ann@example.com");
  EXPECT_EQ(json(ann, "/api/me")["tags"], sdk::Json::array());
  const std::string order_body =
      sdk::Json{{"offer", "founders-dinner"}, {"idempotency_key", "dinner-1"}}.dump();

  // The dinner is for founders: refused, and no order made, until Ann says she is one.
  const HttpReply refused = ann.post_json("/api/orders", order_body);
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr("Founders' dinner: only for members tagged role:founder"));
  const HttpReply unknown = ann.post_json("/api/me/tags", R"({"tags": ["role:king"]})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_THAT(unknown.body, HasSubstr("not one of the tags this site offers"));
  for (const char* malformed : {R"({"tag": ["role:founder"]})", R"({"tags": "role:founder"})",
                                R"(["role:founder"])", "not json"}) {
    const HttpReply refused_body = ann.post_json("/api/me/tags", malformed);
    EXPECT_EQ(refused_body.status, 400) << malformed;
    const sdk::Json error = sdk::Json::parse(refused_body.body, nullptr, false);
    EXPECT_THAT(error.value("error", sdk::Json::object()).value("message", ""),
                HasSubstr("send {\"tags\": ["))
        << malformed;
  }
  const HttpReply not_strings = ann.post_json("/api/me/tags", R"({"tags": ["role:founder", 7]})");
  EXPECT_EQ(not_strings.status, 400);
  EXPECT_THAT(not_strings.body, HasSubstr("each tag is a string"));
  EXPECT_EQ(json(ann, "/api/me")["tags"], sdk::Json::array());  // nothing chosen by the refusals
  const HttpReply chosen =
      ann.post_json("/api/me/tags", R"({"tags": ["role:founder", "city:上海"]})");
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  EXPECT_EQ(sdk::Json::parse(chosen.body)["tags"], sdk::Json({"city:上海", "role:founder"}));
  EXPECT_EQ(ann.post_json("/api/orders", order_body).status, 201);

  // A tag the plugin gives stays when the member changes her own choice on the form.
  const HttpReply given = ann.post_form("/tags/verified/give", {});
  ASSERT_EQ(given.status, 200) << given.body;
  EXPECT_EQ(sdk::Json::parse(given.body)["changed"], true);
  EXPECT_EQ(sdk::Json::parse(ann.post_form("/tags/verified/give", {}).body)["changed"], false);
  const HttpReply form = ann.get("/account/tags");
  EXPECT_THAT(form.body, HasSubstr("name=\"role:investor\""));
  EXPECT_THAT(form.body, HasSubstr("name=\"role:founder\" value=\"1\" checked"));
  EXPECT_EQ(ann.post_form("/account/tags", {{"role:investor", "1"}, {"role:king", "1"}}).status,
            200);
  EXPECT_EQ(json(ann, "/api/me")["tags"], sdk::Json({"role:investor", "verified"}));
  const std::string ann_id = json(ann, "/api/me")["id"];
  EXPECT_EQ(json(ann, "/api/tagged/verified"), sdk::Json({ann_id}));
  EXPECT_EQ(ann.post_form("/tags/Not%20A%20Tag/give", {}).status, 400);
  EXPECT_EQ(sdk::Json::parse(ann.post_form("/tags/verified/take", {}).body)["tags"],
            sdk::Json({"role:investor"}));
  EXPECT_EQ(
      ann.post_json("/api/orders",
                    sdk::Json{{"offer", "founders-dinner"}, {"idempotency_key", "dinner-2"}}.dump())
          .status,
      403);

  // The intro fee is sold by the plugin's flow only: not listed, not sold by /api/orders.
  EXPECT_THAT(ann.get("/offers").body, ::testing::Not(HasSubstr("Intro")));
  const HttpReply direct = ann.post_json(
      "/api/orders", sdk::Json{{"offer", "intro"}, {"idempotency_key", "intro-1"}}.dump());
  EXPECT_EQ(direct.status, 403);
  EXPECT_THAT(direct.body, HasSubstr("sold on the community's own pages"));
  const std::string intro = pay(ann, "/intro/buy", "intro-2");
  EXPECT_EQ(order_state(ann, intro), "fulfilled");
  expect_ledger_balanced();
}

TEST_F(FlowKitTest, PluginsAwardAndSpendPointsThatNeverGoNegative) {
  HttpVisitor bea = member("points-bea@example.com");
  auto move = [&](const char* path, const std::string& amount, const std::string& key, int status,
                  const std::string& who = "") {
    std::map<std::string, std::string> fields = {{"amount", amount}, {"key", key}};
    if (!who.empty()) fields["member"] = who;
    const HttpReply reply = bea.post_form(path, fields);
    EXPECT_EQ(reply.status, status) << path << " " << amount << ": " << reply.body;
    return sdk::Json::parse(reply.body, nullptr, false);
  };
  EXPECT_EQ(move("/points/award", "100", "welcome", 200)["points"], 100);
  EXPECT_EQ(move("/points/award", "100", "welcome", 200)["moved"], false);  // a retry
  EXPECT_EQ(move("/points/spend", "60", "mug", 200)["points"], 40);
  EXPECT_EQ(issued_points(), 40);
  // Refusals answer a form with the error page, which says why.
  const HttpReply overdraw = bea.post_form("/points/spend", {{"amount", "50"}, {"key", "book"}});
  EXPECT_EQ(overdraw.status, 409);
  EXPECT_THAT(overdraw.body, HasSubstr("40 held, 50 needed"));
  const HttpReply reused = bea.post_form("/points/award", {{"amount", "5"}, {"key", "mug"}});
  EXPECT_EQ(reused.status, 409);
  EXPECT_THAT(reused.body, HasSubstr("another movement"));
  move("/points/award", "0", "zero", 400);
  move("/points/award", "5", "stranger", 404, "no-such-member");
  EXPECT_EQ(move("/points/spend", "40", "book", 200)["points"], 0);
  EXPECT_EQ(issued_points(), 0);
  expect_ledger_balanced();
}

TEST_F(FlowKitTest, EscrowIsReleasedWhenFundedAndGivenBackWhenNot) {
  HttpVisitor first = member("backer-1@example.com");
  HttpVisitor second = member("backer-2@example.com");
  pay(first, "/campaigns/pledge/pledge", "pledge-1");
  pay(second, "/campaigns/pledge/pledge", "pledge-2");
  const std::string missed = pay(first, "/campaigns/big-pledge/pledge", "big-1");
  EXPECT_EQ(json(first, "/api/campaigns/pledge")["raised"], 20000);
  EXPECT_EQ(post(*admin_, "/campaigns/pledge/settle")["outcome"], "open");  // before the deadline
  EXPECT_EQ(balance("escrow:pledge"), -20000);

  serve("P2D");  // the deadline has passed
  first.set_port(server_->port());
  EXPECT_EQ(json(first, "/api/campaigns/pledge")["closed"], true);
  EXPECT_EQ(post(*admin_, "/campaigns/pledge/settle")["outcome"], "funded");
  EXPECT_EQ(balance("escrow:pledge"), 0);
  EXPECT_EQ(balance("site:fees"), -1000);        // 5% of 20000
  EXPECT_EQ(balance("payouts:pledge"), -19000);  // owed to the project
  EXPECT_EQ(post(*admin_, "/campaigns/big-pledge/settle")["outcome"], "refunded");
  EXPECT_EQ(order_state(first, missed), "refunded");
  EXPECT_EQ(balance("escrow:big-pledge"), 0);
  // Settling again moves nothing more.
  EXPECT_EQ(post(*admin_, "/campaigns/pledge/settle")["outcome"], "funded");
  EXPECT_EQ(balance("payouts:pledge"), -19000);
  expect_ledger_balanced();
}

}  // namespace
}  // namespace tribe::testing
