// Acceptance walk of the reading-club demo site over real sockets: a visitor arrives by a partner
// link, signs up (fan), buys the membership (member), checks in daily, renews, and the partner's
// commission is held, then payable. Time moves by restarting `tribe serve` with --clock-offset on
// the same database, as a rehearsal of the days that follow.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "child_process.hpp"
#include "http_client.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::interest {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing::HttpReply;
using testing::HttpVisitor;
using testing::ServedTribe;

constexpr const char* kHost = "reading-club.localhost";

class ReadingClubWalk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tribe-reading-walk-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sites");
    fs::copy_file(fs::path(TRIBE_SOURCE_DIR) / "sites" / "reading-club.yaml",
                  dir_ / "sites" / "reading-club.yaml");
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  std::string database_url() const { return "sqlite:" + (dir_ / "tribe.db").string(); }

  // (Re)starts the server on the same database, `offset` (ISO 8601) ahead of today.
  void serve(const std::string& offset) {
    server_.reset();
    std::vector<std::string> args = {"--sites",      (dir_ / "sites").string(),
                                     "--db",         database_url(),
                                     "--plugin-dir", TRIBE_PLUGIN_DIR};
    if (!offset.empty()) {
      args.push_back("--clock-offset");
      args.push_back(offset);
    }
    server_ = std::make_unique<ServedTribe>(args);
  }

  // The same browser (its cookies) after a restart, which changes the port.
  HttpVisitor again(const HttpVisitor& browser) const {
    HttpVisitor moved(server_->port(), kHost);
    for (const char* name : {"tribe_session", "tribe_csrf", "tribe_visitor"}) {
      if (!browser.cookie(name).empty()) moved.set_cookie(name, browser.cookie(name));
    }
    return moved;
  }

  HttpVisitor sign_up(const std::string& name, const std::string& arrival = "/") {
    HttpVisitor browser(server_->port(), kHost);
    EXPECT_EQ(browser.get(arrival).status, 200);
    browser.get("/signup");
    const HttpReply reply = browser.post_form("/signup", {{"email", name + "@example.com"},
                                                          {"display_name", name},
                                                          {"password", "correct horse battery"}});
    EXPECT_EQ(reply.status, 303) << reply.body;
    return browser;
  }

  // Orders `offer` and pays on the sandbox checkout page, whose button makes the server receive
  // the gateway's signed webhook; returns the order once it is fulfilled.
  static sdk::Json buy(HttpVisitor& browser, const std::string& offer, const std::string& key) {
    const HttpReply created = browser.post_json(
        "/api/orders", sdk::Json{{"offer", offer}, {"idempotency_key", key}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    const sdk::Json order = sdk::Json::parse(created.body);
    const std::string id = order["id"];
    EXPECT_EQ(browser.get("/checkout/" + id).status, 200);
    EXPECT_EQ(browser.post_form("/checkout/" + id + "/pay", {}).status, 303);
    return sdk::Json::parse(browser.get("/api/orders/" + id).body);
  }

  static sdk::Json json(HttpVisitor& browser, const std::string& path) {
    const HttpReply reply = browser.get(path);
    EXPECT_EQ(reply.status, 200) << path << ": " << reply.body;
    return sdk::Json::parse(reply.body);
  }

  static std::string ends_at(HttpVisitor& browser, const std::string& key) {
    const sdk::Json account = json(browser, "/api/account");  // outlives the loop
    for (const auto& entitlement : account["entitlements"]) {
      if (entitlement["key"] == key && entitlement["active"] == true) return entitlement["ends_at"];
    }
    return "";
  }

  static std::vector<std::string> commissions(HttpVisitor& partner) {
    std::vector<std::string> states;
    const sdk::Json page = json(partner, "/api/partner");  // outlives the loop
    for (const auto& commission : page["commissions"]) {
      states.push_back(commission["display_amount"].get<std::string>() + " L" +
                       std::to_string(commission["level"].get<int>()) + " " +
                       commission["state"].get<std::string>());
    }
    return states;
  }

  fs::path dir_;
  std::unique_ptr<ServedTribe> server_;
};

TEST_F(ReadingClubWalk, PartnerLinkToMemberWhoChecksInRenewsAndEarnsThePartnerACommission) {
  // Day 0. A partner of the club shares their link.
  serve("");
  HttpVisitor partner = sign_up("walk-partner");
  EXPECT_EQ(buy(partner, "partner", "walk-partner-1")["state"], "fulfilled");
  const sdk::Json partner_page = json(partner, "/api/partner");
  ASSERT_EQ(partner_page["stage"], "partner");
  const std::string link = partner_page["link"];

  // A reader arrives by the link and signs up: a fan, bound to the partner.
  HttpVisitor reader = sign_up("walk-reader", link);
  EXPECT_EQ(json(reader, "/api/me")["stage"], "fan");
  EXPECT_EQ(reader.get("/checkins").status, 403);  // check-ins are for members
  const std::string reader_id = json(reader, "/api/me")["id"];
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], ::testing::Contains(reader_id));

  // Buys the membership: a member, who checks in (twice the same day counts once).
  EXPECT_EQ(buy(reader, "membership", "walk-membership-1")["state"], "fulfilled");
  EXPECT_EQ(json(reader, "/api/me")["stage"], "member");
  EXPECT_EQ(reader.get("/members").status, 200);
  const HttpReply too_long = reader.post_form("/checkins", {{"note", std::string(501, 'x')}});
  EXPECT_EQ(too_long.status, 400);
  EXPECT_THAT(too_long.body, ::testing::HasSubstr("500"));
  EXPECT_EQ(json(reader, "/api/checkins")["total"], 0);  // refused, nothing recorded
  EXPECT_EQ(reader.post_form("/checkins", {{"note", "第一章"}}).status, 303);
  EXPECT_EQ(reader.post_form("/checkins", {{"note", "again"}}).status, 303);
  sdk::Json streak = json(reader, "/api/checkins");
  EXPECT_EQ(streak["streak"], 1);
  EXPECT_EQ(streak["total"], 1);
  EXPECT_EQ(streak["checked_in_today"], true);
  const std::string first_end = ends_at(reader, "member");
  ASSERT_FALSE(first_end.empty()) << json(reader, "/api/account").dump();
  EXPECT_THAT(commissions(partner), ElementsAre("19.90 CNY L1 held"));

  // Day 1: the streak goes on; the reader renews early and the year is added to the end.
  serve("P1D");
  reader = again(reader);
  partner = again(partner);
  streak = json(reader, "/api/checkins");
  EXPECT_EQ(streak["checked_in_today"], false);
  EXPECT_EQ(streak["streak"], 1);
  EXPECT_EQ(reader.post_form("/checkins", {{"note", "第二章"}}).status, 303);
  streak = json(reader, "/api/checkins");
  EXPECT_EQ(streak["streak"], 2);
  EXPECT_EQ(streak["longest"], 2);
  ASSERT_EQ(streak["leaders"].size(), 1u);
  EXPECT_EQ(streak["leaders"][0]["display_name"], "walk-reader");
  EXPECT_EQ(streak["leaders"][0]["streak"], 2);
  // Renews on the plugin's /join page (the flow kit's subscription), which shows the end date.
  const HttpReply join_page = reader.get("/join");
  EXPECT_EQ(join_page.status, 200);
  EXPECT_THAT(join_page.body, ::testing::HasSubstr(first_end.substr(0, 10)));
  const HttpReply renewal = reader.post_form("/join", {{"idempotency_key", "walk-membership-2"}});
  ASSERT_EQ(renewal.status, 303) << renewal.body;
  EXPECT_EQ(reader.post_form(renewal.location + "/pay", {}).status, 303);
  EXPECT_EQ(json(reader, "/api/orders/" + renewal.location.substr(10))["state"], "fulfilled");
  const std::string renewed_end = ends_at(reader, "member");
  EXPECT_EQ(std::stoi(renewed_end.substr(0, 4)), std::stoi(first_end.substr(0, 4)) + 1);
  EXPECT_EQ(renewed_end.substr(4), first_end.substr(4));  // the same day and time, a year later
  EXPECT_THAT(commissions(partner), ElementsAre("19.90 CNY L1 held", "19.90 CNY L1 held"));

  // Day 9: both refund windows (7 days) have closed; the sweep makes the commissions payable.
  serve("P9D");
  reader = again(reader);
  partner = again(partner);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  // The sweep releases each commission in a transaction of its own: wait for both.
  const std::vector<std::string> both_payable = {"19.90 CNY L1 payable", "19.90 CNY L1 payable"};
  while (commissions(partner) != both_payable && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_THAT(commissions(partner), ElementsAre("19.90 CNY L1 payable", "19.90 CNY L1 payable"));
  EXPECT_THAT(json(partner, "/api/partner")["payable"].dump(), ::testing::HasSubstr("39.80 CNY"));
  // Days were missed: the streak starts again, the longest is kept.
  streak = json(reader, "/api/checkins");
  EXPECT_EQ(streak["streak"], 0);
  EXPECT_EQ(streak["longest"], 2);
  EXPECT_EQ(reader.get("/members").status, 200);
  // The funnel's check_ins step over its default range (the 30 days up to the site's today): the
  // reader's check-ins of day 0 and day 1, as the site's admin reads it.
  HttpVisitor admin(server_->port(), kHost);
  admin.get("/signup");
  ASSERT_EQ(admin
                .post_form("/signup", {{"email", "owner@reading-club.example"},
                                       {"display_name", "owner"},
                                       {"password", "correct horse battery"}})
                .status,
            303);
  EXPECT_EQ(json(admin, "/api/funnel")["steps"]["interest.check_ins"], 2);

  server_.reset();
  const testing::CommandResult check =
      testing::run_command(testing::tribe_binary(), {"ledger", "check", "--db", database_url()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

}  // namespace
}  // namespace tribe::interest
