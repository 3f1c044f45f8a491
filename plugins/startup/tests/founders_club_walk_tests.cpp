// Acceptance walks of the founders-club demo site (sites/founders-club.yaml) over real sockets
// against a real `tribe serve`: a founder arrives by a partner's link, applies, is approved, pays
// the entry fee and a training course, becomes a partner and brings a ticket buyer, and the
// partners' commissions are held, then payable; an application's approved tag decides who may
// order the entry fee, on /join and POST /api/orders alike; crowdfunding is released when funded
// and refunded when not, each once, by the scheduler at the deadline; the intro fee of a match is
// charged only after both sides accept; pledges and the intro fee are sold only by the plugin's
// pages; profiles sharing a sector tag are listed first; roadshow seats never oversell. Time
// moves by restarting `tribe serve` with --clock-offset on the same database. The ledger is
// checked after each walk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "demo_site_walk.hpp"
#include "http_client.hpp"
#include "site_walk.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::startup {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HttpReply;
using testing::HttpVisitor;
using ::testing::Not;
using testing::order_state;
using ::testing::UnorderedElementsAre;

constexpr const char* kAdmin = "owner@founders-club.example";

class FoundersClubWalk : public testing::DemoSiteWalk {
 protected:
  FoundersClubWalk() : DemoSiteWalk("founders-club") {}

  static std::string id_of(HttpVisitor& browser) {
    return json(browser, "/api/me").value("id", "");
  }

  // The site file the server reads, with `from` replaced by `to` (which must be there once).
  void edit_site(const std::string& from, const std::string& to) {
    std::string yaml;
    {
      std::ifstream in(site_file());
      std::stringstream text;
      text << in.rdbuf();
      yaml = text.str();
    }
    const auto at = yaml.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    ASSERT_EQ(yaml.find(from, at + 1), std::string::npos) << from;
    yaml.replace(at, from.size(), to);
    std::ofstream(site_file()) << yaml;
  }

  // The member applies; the admin approves (both checked).
  static void apply_and_approve(HttpVisitor& founder, HttpVisitor& admin,
                                const std::string& company) {
    const HttpReply applied = founder.post_form(
        "/apply", {{"company", company}, {"stage", "天使轮"}, {"pitch", "用技术让创业更简单"}});
    EXPECT_EQ(applied.status, 303) << applied.body;
    const HttpReply decided = admin.post_form("/admin/applications/" + id_of(founder) + "/decide",
                                              {{"decision", "approve"}, {"reason", ""}});
    EXPECT_EQ(decided.status, 303) << decided.body;
    EXPECT_EQ(json(founder, "/api/application")["state"], "approved");
  }

  // POST /api/orders: the kernel's own way to order any offer of the site, bypassing the plugin.
  static HttpReply api_order(HttpVisitor& browser, const std::string& offer,
                             const std::string& key) {
    return browser.post_json("/api/orders",
                             sdk::Json{{"offer", offer}, {"idempotency_key", key}}.dump());
  }

  static sdk::Json tags_of(HttpVisitor& browser) { return json(browser, "/api/me")["tags"]; }

  // The member's orders of `offer` on /api/account.
  static int orders_of(HttpVisitor& browser, const std::string& offer) {
    int count = 0;
    const sdk::Json account = json(browser, "/api/account");  // outlives the loop
    for (const auto& order : account["orders"]) count += order["offer"] == offer;
    return count;
  }

  // Polls `done` every 100 ms for at most 20 seconds (work the server does outside the request:
  // the scheduler's hooks, the gateway's webhooks, the outbox's events).
  static void wait_for(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
};

TEST_F(FoundersClubWalk, ShippedSiteValidates) {
  expect_shipped_site_validates();
}

TEST_F(FoundersClubWalk, PartnerLinkToAFounderWhoJoinsTrainsAndRefersATicketBuyer) {
  // Day 0. A partner of the club buys the partner programme and shares their link.
  serve(0);
  HttpVisitor partner = sign_up("partner@example.com");
  const std::string link = become_partner(partner);
  ASSERT_FALSE(link.empty());
  HttpVisitor admin = sign_up(kAdmin);

  // A founder arrives by the link and signs up: a fan, bound to the partner.
  HttpVisitor founder = sign_up("founder@example.com", link);
  EXPECT_EQ(json(founder, "/api/me")["stage"], "fan");
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], ::testing::Contains(id_of(founder)));
  // The entry fee waits for an approved application.
  EXPECT_EQ(founder.post_form("/join", {{"idempotency_key", "too-early"}}).status, 403);
  apply_and_approve(founder, admin, "智慧农场科技");
  EXPECT_THAT(founder.get("/apply").body, HasSubstr("/join"));  // the entry fee's button

  // Pays the entry fee: a member of the club.
  const std::string entry = pay(founder, "/join", "walk-entry");
  EXPECT_EQ(order_state(founder, entry), "fulfilled");
  EXPECT_EQ(json(founder, "/api/me")["stage"], "member");
  EXPECT_EQ(json(founder, "/api/application")["entry"]["active"], true);

  // Buys the quarterly training course: the second purchase.
  const std::string training = pay(founder, "/buy/training-fundraising", "walk-training");
  EXPECT_EQ(order_state(founder, training), "fulfilled");
  sdk::Json course = json(founder, "/api/club")["training"][0];
  EXPECT_EQ(course["active"], true) << course.dump();
  EXPECT_FALSE(course["until"].get<std::string>().empty());
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("298.00 CNY L1 held", "99.90 CNY L1 held"));

  // The founder becomes a partner too and brings a friend, who buys a roadshow ticket.
  const std::string founder_link = become_partner(founder);
  ASSERT_FALSE(founder_link.empty());
  HttpVisitor friend_ = sign_up("friend@example.com", founder_link);
  EXPECT_THAT(json(founder, "/api/partner")["referrals"], ::testing::Contains(id_of(friend_)));
  const std::string ticket = pay(friend_, "/events/roadshow-2027-03/buy", "walk-ticket");
  EXPECT_EQ(order_state(friend_, ticket), "fulfilled");
  EXPECT_EQ(json(friend_, "/api/club")["events"][0]["has_ticket"], true);
  EXPECT_EQ(json(friend_, "/api/club")["events"][0]["seats_left"], 99);
  EXPECT_THAT(commissions(founder), ElementsAre("19.90 CNY L1 held"));
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("298.00 CNY L1 held", "99.90 CNY L1 held", "9.95 CNY L2 held"));
  EXPECT_TRUE(json(partner, "/api/partner")["payable"].empty());

  // Day 8: the refund windows (7 days) have closed; the sweep makes every commission payable.
  serve(8);
  follow(partner);
  follow(founder);
  follow(admin);
  await_payable(partner, 3);
  await_payable(founder, 1);
  EXPECT_THAT(
      commissions(partner),
      UnorderedElementsAre("298.00 CNY L1 payable", "99.90 CNY L1 payable", "9.95 CNY L2 payable"));
  EXPECT_THAT(commissions(founder), ElementsAre("19.90 CNY L1 payable"));
  EXPECT_THAT(json(partner, "/api/partner")["payable"].dump(), HasSubstr("407.85 CNY"));

  // The funnel over the walk's days shows what the walk did: four browsers came (two by partner
  // links) and signed up; three bought for the first time (the partner programme, the entry fee,
  // the ticket); the founder bought twice more (the training, the partner programme); the
  // founder's three purchases and the friend's ticket count as referred; the ladder holds two
  // partners and two fans (the admin, the friend: a ticket makes no member).
  EXPECT_EQ(partner.get("/api/funnel").status, 403);  // not an admin
  const sdk::Json funnel =
      expect_funnel(admin, {.visits = 4,
                            .referral_arrivals = 2,
                            .sign_ups = 4,
                            .first_purchases = 3,
                            .buyers = 3,
                            .repeat_buyers = 1,
                            .repeat_purchases = 2,
                            .referred_sign_ups = 2,
                            .referred_purchases = 4,
                            .ladder = sdk::Json({{"fan", 2}, {"member", 0}, {"partner", 2}})});
  EXPECT_EQ(funnel["steps"]["startup.applications"], 1);  // the founder's
  expect_ledger_checks();
}

// Pending, then rejected with a reason: the entry fee is refused (403) and no order is made. The
// member applies again, is approved and pays.
TEST_F(FoundersClubWalk, OnlyAnApprovedApplicationMayPayTheEntryFee) {
  serve(0);
  HttpVisitor admin = sign_up(kAdmin);
  HttpVisitor founder = sign_up("applicant@example.com");
  EXPECT_EQ(json(founder, "/api/application")["state"], "");
  EXPECT_EQ(founder.post_form("/apply", {{"company", "某公司"}, {"stage", "种子轮"}}).status,
            400);  // no pitch
  EXPECT_EQ(
      founder
          .post_form("/apply",
                     {{"company", "云上书店"}, {"stage", "种子轮"}, {"pitch", "社区里的共享书店"}})
          .status,
      303);
  EXPECT_EQ(json(founder, "/api/application")["state"], "pending");
  EXPECT_EQ(founder.post_form("/apply", {{"company", "x"}, {"stage", "y"}, {"pitch", "z"}}).status,
            409);  // one at a time
  EXPECT_EQ(founder.post_form("/join", {{"idempotency_key", "pending"}}).status, 403);
  // The kernel refuses it too: the entry offer requires the tag an approval gives.
  const HttpReply pending_api = api_order(founder, "membership", "api-pending");
  EXPECT_EQ(pending_api.status, 403) << pending_api.body;
  EXPECT_THAT(pending_api.body, HasSubstr("仅限持有以下标签的成员购买: approved"));
  EXPECT_EQ(orders_of(founder, "membership"), 0);
  EXPECT_EQ(tags_of(founder), sdk::Json::array());
  const std::string path = "/admin/applications/" + id_of(founder) + "/decide";
  EXPECT_EQ(founder.post_form(path, {{"decision", "approve"}}).status, 403);  // not an admin
  EXPECT_THAT(admin.get("/admin/applications").body, HasSubstr("云上书店"));
  EXPECT_EQ(admin.post_form(path, {{"decision", "reject"}, {"reason", ""}}).status, 400);
  EXPECT_EQ(
      admin.post_form(path, {{"decision", "reject"}, {"reason", "还没有可演示的产品"}}).status,
      303);
  sdk::Json application = json(founder, "/api/application");
  EXPECT_EQ(application["state"], "rejected");
  EXPECT_EQ(application["reason"], "还没有可演示的产品");
  EXPECT_EQ(application["may_pay_entry"], false);
  EXPECT_THAT(founder.get("/apply").body, HasSubstr("还没有可演示的产品"));
  const HttpReply refused = founder.post_form("/join", {{"idempotency_key", "rejected"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr("入会申请通过后才能缴纳入会费"));
  EXPECT_EQ(api_order(founder, "membership", "api-rejected").status, 403);
  EXPECT_EQ(orders_of(founder, "membership"), 0);
  EXPECT_EQ(tags_of(founder), sdk::Json::array());
  EXPECT_EQ(admin.post_form(path, {{"decision", "approve"}}).status, 409);  // decided already

  // Applies again with a demo; approved, pays the entry fee.
  EXPECT_EQ(founder
                .post_form("/apply", {{"company", "云上书店"},
                                      {"stage", "种子轮"},
                                      {"pitch", "已上线小程序,三家门店试运营"}})
                .status,
            303);
  EXPECT_EQ(json(founder, "/api/application")["state"], "pending");
  EXPECT_EQ(api_order(founder, "membership", "api-pending-again").status, 403);
  EXPECT_EQ(admin.post_form(path, {{"decision", "approve"}}).status, 303);
  EXPECT_EQ(json(founder, "/api/application")["state"], "approved");
  EXPECT_EQ(tags_of(founder), sdk::Json({"approved"}));
  EXPECT_EQ(json(founder, "/api/application")["may_pay_entry"], true);
  // Approved: the kernel's own API takes the order now (left unpaid), and so does /join.
  const HttpReply approved_api = api_order(founder, "membership", "api-approved");
  EXPECT_EQ(approved_api.status, 201) << approved_api.body;
  EXPECT_EQ(orders_of(founder, "membership"), 1);
  const std::string entry = pay(founder, "/join", "approved-entry");
  EXPECT_EQ(order_state(founder, entry), "fulfilled");
  EXPECT_EQ(json(founder, "/api/me")["stage"], "member");
  EXPECT_EQ(orders_of(founder, "membership"), 2);  // the unpaid API order and the paid one
  EXPECT_EQ(balance("site:revenue"), -298000);
  // A decision asked again is refused and leaves the tag as the decision left it.
  EXPECT_EQ(admin.post_form(path, {{"decision", "reject"}, {"reason", "改主意了"}}).status, 409);
  EXPECT_EQ(tags_of(founder), sdk::Json({"approved"}));
  expect_ledger_checks();
}

// Two backers pledge 1,000.00 each to smart-farm (goal 2,000.00). Nothing moves before the
// deadline; the day after it the scheduler's hook releases both pledges: the site keeps its 5%
// fee, the project is owed the rest. Settling again (an admin, a restart) moves nothing more.
TEST_F(FoundersClubWalk, CrowdfundingThatReachesItsGoalIsReleasedOnceAtTheDeadline) {
  edit_site("deadline: 2027-03-31", "deadline: " + testing::utc_date(3));
  serve(0);
  HttpVisitor admin = sign_up(kAdmin);
  HttpVisitor first = sign_up("backer1@example.com");
  HttpVisitor second = sign_up("backer2@example.com");
  EXPECT_THAT(first.get("/projects/smart-farm").body, HasSubstr("/projects/smart-farm/pledge"));
  // A pledge is sold by the project's page only (sold_by: plugin): not on /offers, and the
  // kernel's API refuses it with no order made.
  const std::string offers = first.get("/offers").body;
  EXPECT_THAT(offers, HasSubstr("融资实战训练课"));  // the page lists the site's other offers
  EXPECT_THAT(offers, Not(HasSubstr("支持「智慧农场」")));
  const HttpReply direct = api_order(first, "pledge-smart-farm", "api-pledge");
  EXPECT_EQ(direct.status, 403) << direct.body;
  EXPECT_THAT(direct.body, HasSubstr("只在社群自己的页面上出售"));
  EXPECT_EQ(orders_of(first, "pledge-smart-farm"), 0);
  const std::string a = pay(first, "/projects/smart-farm/pledge", "pledge-1");
  const std::string b = pay(second, "/projects/smart-farm/pledge", "pledge-2");
  EXPECT_EQ(order_state(first, a), "fulfilled");
  sdk::Json project = json(first, "/api/projects/smart-farm");
  EXPECT_EQ(project["raised"], 200000);
  EXPECT_EQ(project["percent"], 100);
  EXPECT_EQ(project["open"], true);
  EXPECT_EQ(project["mine"].size(), 1u);
  EXPECT_EQ(orders_of(first, "pledge-smart-farm"), 1);
  EXPECT_EQ(balance("escrow:pledge-smart-farm"), -200000);
  EXPECT_EQ(balance("site:revenue"), 0);  // held, not earned
  HttpReply early = admin.post_form("/api/projects/smart-farm/settle", {});
  ASSERT_EQ(early.status, 200) << early.body;
  EXPECT_EQ(sdk::Json::parse(early.body)["outcome"], "open");
  EXPECT_EQ(first.post_form("/api/projects/smart-farm/settle", {}).status, 403);

  // Day 3, the deadline's day: still open.
  serve(3);
  follow(first);
  EXPECT_EQ(json(first, "/api/projects/smart-farm")["open"], true);
  EXPECT_EQ(balance("escrow:pledge-smart-farm"), -200000);

  // Day 4: closed. The hourly hook settles it without anyone coming by.
  serve(4);
  follow(admin);
  follow(first);
  follow(second);
  // The hook records the outcome, then releases the pledges: wait for both.
  wait_for([&] {
    const sdk::Json seen = json(admin, "/api/projects/smart-farm");
    if (seen["outcome"] != "funded" || seen["holdings"].empty()) return false;
    for (const auto& held : seen["holdings"]) {
      if (held["state"] != "released") return false;
    }
    return true;
  });
  project = json(admin, "/api/projects/smart-farm");
  EXPECT_EQ(project["outcome"], "funded");
  EXPECT_EQ(project["raised"], 200000);
  ASSERT_EQ(project["holdings"].size(), 2u);
  for (const auto& held : project["holdings"]) EXPECT_EQ(held["state"], "released");
  EXPECT_THAT(first.get("/projects/smart-farm").body, HasSubstr("众筹成功"));
  EXPECT_EQ(balance("escrow:pledge-smart-farm"), 0);
  EXPECT_EQ(balance("site:fees"), -10000);                   // the site's 5%
  EXPECT_EQ(balance("payouts:pledge-smart-farm"), -190000);  // owed to the project
  EXPECT_EQ(order_state(second, b), "fulfilled");            // never refunded
  EXPECT_EQ(first.post_form("/projects/smart-farm/pledge", {{"idempotency_key", "late"}}).status,
            409);

  // Settled once: an admin's settle and the next day's hook move nothing.
  const HttpReply again = admin.post_form("/api/projects/smart-farm/settle", {});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(sdk::Json::parse(again.body)["outcome"], "funded");
  EXPECT_EQ(sdk::Json::parse(again.body)["released"], 0);
  serve(5);
  follow(first);
  EXPECT_EQ(json(first, "/api/projects/smart-farm")["outcome"], "funded");
  EXPECT_EQ(balance("site:fees"), -10000);
  EXPECT_EQ(balance("payouts:pledge-smart-farm"), -190000);
  EXPECT_EQ(balance("site:refunds"), 0);
  expect_ledger_checks();
}

// Two pledges to kids-robot fall short of its goal: at the deadline the hook gives every pledge
// back through the gateway; nothing is released and the outcome never changes.
TEST_F(FoundersClubWalk, CrowdfundingShortOfItsGoalRefundsEveryPledgeOnce) {
  edit_site("deadline: 2027-04-30", "deadline: " + testing::utc_date(1));
  serve(0);
  HttpVisitor admin = sign_up(kAdmin);
  HttpVisitor first = sign_up("backer1@example.com");
  HttpVisitor second = sign_up("backer2@example.com");
  const std::string a = pay(first, "/projects/kids-robot/pledge", "robot-1");
  const std::string b = pay(second, "/projects/kids-robot/pledge", "robot-2");
  EXPECT_EQ(json(first, "/api/projects/kids-robot")["raised"], 100000);
  EXPECT_EQ(balance("escrow:pledge-kids-robot"), -100000);

  serve(2);
  follow(admin);
  follow(first);
  follow(second);
  wait_for(
      [&] { return order_state(first, a) == "refunded" && order_state(second, b) == "refunded"; });
  EXPECT_EQ(order_state(first, a), "refunded");
  EXPECT_EQ(order_state(second, b), "refunded");
  sdk::Json project = json(admin, "/api/projects/kids-robot");
  EXPECT_EQ(project["outcome"], "refunded");
  EXPECT_EQ(project["raised"], 100000);  // what was held at the deadline
  for (const auto& held : project["holdings"]) EXPECT_EQ(held["state"], "returned");
  EXPECT_THAT(first.get("/projects/kids-robot").body, HasSubstr("所有支持款已退还"));
  EXPECT_EQ(balance("escrow:pledge-kids-robot"), 0);
  EXPECT_EQ(balance("payouts:pledge-kids-robot"), 0);
  EXPECT_EQ(balance("site:fees"), 0);
  EXPECT_EQ(balance("site:refunds"), 100000);

  const HttpReply again = admin.post_form("/api/projects/kids-robot/settle", {});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(sdk::Json::parse(again.body)["outcome"], "refunded");
  EXPECT_EQ(sdk::Json::parse(again.body)["given_back"], 0);
  serve(3);
  follow(first);
  EXPECT_EQ(json(first, "/api/projects/kids-robot")["outcome"], "refunded");
  EXPECT_EQ(balance("site:refunds"), 100000);
  EXPECT_EQ(balance("payouts:pledge-kids-robot"), 0);
  expect_ledger_checks();
}

// An investor and two projects. The first project's request is declined: no order, ever. The
// second's is accepted by the investor: only then may the requester pay, once; after payment
// both see each other's contact.
TEST_F(FoundersClubWalk, IntroFeeIsChargedOnlyAfterBothSidesAccept) {
  serve(0);
  HttpVisitor investor = sign_up("investor@example.com");
  HttpVisitor first = sign_up("project1@example.com");
  HttpVisitor second = sign_up("project2@example.com");
  auto profile = [](HttpVisitor& browser, const std::string& side, const std::string& name,
                    const std::string& contact) {
    EXPECT_EQ(
        browser
            .post_form(
                "/match/profile",
                {{"side", side}, {"name", name}, {"about", name + " 的介绍"}, {"contact", contact}})
            .status,
        303);
  };
  profile(investor, "investor", "黑马资本 张总", "wechat:zhang-vc");
  profile(first, "project", "智慧农场", "tel:13800000001");
  profile(second, "project", "儿童编程机器人", "tel:13800000002");
  // A profile's side is its member's role tag; saving the other side moves it.
  EXPECT_EQ(tags_of(investor), sdk::Json({"role:investor"}));
  profile(first, "investor", "智慧农场", "tel:13800000001");
  EXPECT_EQ(tags_of(first), sdk::Json({"role:investor"}));
  profile(first, "project", "智慧农场", "tel:13800000001");
  EXPECT_EQ(tags_of(first), sdk::Json({"role:founder"}));

  // Sectors from the site's vocabulary: the investor's focus is 农业; the farm is in 农业, the
  // robot in 教育. The farm is listed first for the investor although the robot's name sorts
  // first, and it is marked as fitting.
  auto choose = [](HttpVisitor& browser, const sdk::Json& tags) {
    const HttpReply chosen = browser.post_json("/api/me/tags", sdk::Json{{"tags", tags}}.dump());
    EXPECT_EQ(chosen.status, 200) << chosen.body;
  };
  const sdk::Json unsorted = json(investor, "/api/match")["others"];
  ASSERT_EQ(unsorted.size(), 2u) << unsorted.dump();
  EXPECT_EQ(unsorted[0]["name"], "儿童编程机器人");  // by name while nobody chose a sector
  EXPECT_EQ(unsorted[0]["fit"], false);
  choose(investor, {"focus:农业"});
  choose(first, {"sector:农业"});
  choose(second, {"sector:教育"});
  EXPECT_EQ(tags_of(investor), sdk::Json({"focus:农业", "role:investor"}));
  const sdk::Json fitting = json(investor, "/api/match");
  EXPECT_EQ(fitting["sectors"], sdk::Json({"农业"}));
  const sdk::Json others = fitting["others"];
  ASSERT_EQ(others.size(), 2u) << others.dump();
  EXPECT_EQ(others[0]["name"], "智慧农场");
  EXPECT_EQ(others[0]["fits"], sdk::Json({"农业"}));
  EXPECT_EQ(others[1]["name"], "儿童编程机器人");
  EXPECT_EQ(others[1]["fit"], false);
  EXPECT_EQ(others[1]["sectors"], sdk::Json({"教育"}));
  EXPECT_THAT(investor.get("/match").body, HasSubstr("与你的领域相同: 农业"));
  EXPECT_EQ(json(first, "/api/match")["others"][0]["fits"], sdk::Json({"农业"}));
  EXPECT_EQ(investor.post_form("/match/profile", {{"side", "mentor"}, {"name", "x"}}).status, 400);
  const std::string investor_id = id_of(investor);
  EXPECT_EQ(first.post_form("/match/request", {{"to", id_of(second)}}).status, 404);  // same side

  auto only_match = [](HttpVisitor& browser) {
    const sdk::Json matches = json(browser, "/api/match")["matches"];
    EXPECT_EQ(matches.size(), 1u) << matches.dump();
    return matches.empty() ? sdk::Json::object() : matches[0];
  };
  auto no_intro_orders = [&] {
    EXPECT_EQ(orders_of(first, "intro-fee"), 0);
    EXPECT_EQ(orders_of(second, "intro-fee"), 0);
    EXPECT_EQ(orders_of(investor, "intro-fee"), 0);
  };

  // The first project asks; the investor declines. No order at any step.
  EXPECT_EQ(first.post_form("/match/request", {{"to", investor_id}}).status, 303);
  EXPECT_EQ(first.post_form("/match/request", {{"to", investor_id}}).status, 409);  // one open
  sdk::Json declined = only_match(first);
  const std::string declined_id = declined.value("id", "");
  EXPECT_EQ(declined["state"], "requested");
  EXPECT_EQ(declined["can_pay"], false);
  EXPECT_EQ(first.post_form("/match/" + declined_id + "/pay", {}).status, 409);
  EXPECT_EQ(first.post_form("/match/" + declined_id + "/accept", {}).status, 409);  // not theirs
  no_intro_orders();
  EXPECT_EQ(investor.post_form("/match/" + declined_id + "/decline", {}).status, 303);
  EXPECT_EQ(only_match(first)["state"], "declined");
  EXPECT_EQ(first.post_form("/match/" + declined_id + "/pay", {}).status, 409);
  EXPECT_EQ(investor.post_form("/match/" + declined_id + "/accept", {}).status, 409);
  no_intro_orders();

  // The second project asks: requested is one side's acceptance only.
  EXPECT_EQ(second.post_form("/match/request", {{"to", investor_id}}).status, 303);
  const std::string match_id = only_match(second).value("id", "");
  EXPECT_EQ(second.post_form("/match/" + match_id + "/pay", {}).status, 409);
  no_intro_orders();
  EXPECT_EQ(investor.post_form("/match/" + match_id + "/accept", {}).status, 303);
  sdk::Json accepted = only_match(second);
  EXPECT_EQ(accepted["state"], "accepted");
  EXPECT_EQ(accepted["can_pay"], true);
  EXPECT_FALSE(accepted["other"].contains("contact"));  // not before payment
  EXPECT_EQ(investor.post_form("/match/" + match_id + "/pay", {}).status,
            409);  // the requester pays
  EXPECT_THAT(second.get("/match").body, HasSubstr("/match/" + match_id + "/pay"));
  // The intro fee is sold by the match's Pay button only (sold_by: plugin): the kernel's API
  // refuses it even to the requester of an accepted match, and /offers does not list it.
  const HttpReply direct = api_order(second, "intro-fee", "api-intro");
  EXPECT_EQ(direct.status, 403) << direct.body;
  EXPECT_THAT(direct.body, HasSubstr("只在社群自己的页面上出售"));
  const std::string offers = second.get("/offers").body;
  EXPECT_THAT(offers, HasSubstr("融资实战训练课"));
  EXPECT_THAT(offers, Not(HasSubstr("投融资对接费")));
  no_intro_orders();  // both accepted, nothing charged until the requester pays
  EXPECT_EQ(balance("site:revenue"), 0);

  // The requester pays the intro fee; then both see each other's contact.
  const std::string order = pay(second, "/match/" + match_id + "/pay", "ignored");
  EXPECT_EQ(order_state(second, order), "fulfilled");
  wait_for([&] { return only_match(second)["state"] == "paid"; });
  const sdk::Json paid = only_match(second);
  EXPECT_EQ(paid["state"], "paid");
  EXPECT_EQ(paid["other"].value("contact", ""), "wechat:zhang-vc");
  sdk::Json investor_side;
  const sdk::Json investor_page = json(investor, "/api/match");  // outlives the loop
  for (const auto& item : investor_page["matches"]) {
    if (item["id"] == match_id) investor_side = item;
  }
  EXPECT_EQ(investor_side["other"].value("contact", ""), "tel:13800000002");
  EXPECT_FALSE(only_match(first)["other"].contains("contact"));                // declined: never
  EXPECT_EQ(second.post_form("/match/" + match_id + "/pay", {}).status, 409);  // paid once
  EXPECT_EQ(orders_of(second, "intro-fee"), 1);
  EXPECT_EQ(orders_of(first, "intro-fee"), 0);
  EXPECT_EQ(balance("site:revenue"), -99900);
  expect_ledger_checks();
}

// The spring roadshow with 3 seats and 6 buyers at once: 3 orders, 3 refused as sold out.
TEST_F(FoundersClubWalk, RoadshowTicketsNeverOversell) {
  edit_site("capacity: 100", "capacity: 3");
  serve(0);
  std::vector<HttpVisitor> buyers;
  for (int i = 0; i < 6; ++i) buyers.push_back(sign_up("buyer" + std::to_string(i) + "@x.com"));
  const std::vector<HttpReply> ordered = buy_at_once(buyers, "/events/roadshow-2027-03/buy");
  int reserved = 0;
  int refused = 0;
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    if (ordered[i].status == 303) {
      ++reserved;
      EXPECT_EQ(buyers[i].post_form(ordered[i].location + "/pay", {}).status, 303);
      EXPECT_EQ(order_state(buyers[i], ordered[i].location.substr(10)), "fulfilled");
      EXPECT_EQ(json(buyers[i], "/api/club")["events"][0]["has_ticket"], true);
    } else {
      ++refused;
      EXPECT_EQ(ordered[i].status, 409) << ordered[i].body;
      EXPECT_EQ(json(buyers[i], "/api/club")["events"][0]["has_ticket"], false);
    }
  }
  EXPECT_EQ(reserved, 3);
  EXPECT_EQ(refused, 3);
  HttpVisitor late = sign_up("late@x.com");
  const std::string home = late.get("/").body;
  EXPECT_THAT(home, HasSubstr("剩余名额: 0"));
  EXPECT_THAT(home, HasSubstr("名额已满"));
  EXPECT_EQ(late.post_form("/events/roadshow-2027-03/buy", {{"idempotency_key", "late"}}).status,
            409);
  EXPECT_EQ(balance("site:revenue"), -3 * 19900);

  // The roadshow's naming sponsorship (capacity 1) sells once too.
  const std::string sponsor = pay(late, "/buy/sponsor-roadshow-2027-03", "sponsor");
  EXPECT_EQ(order_state(late, sponsor), "fulfilled");
  EXPECT_EQ(
      buyers[0].post_form("/buy/sponsor-roadshow-2027-03", {{"idempotency_key", "second"}}).status,
      409);
  EXPECT_THAT(late.get("/").body, HasSubstr("已被预订"));
  EXPECT_EQ(balance("site:revenue"), -3 * 19900 - 2000000);
  expect_ledger_checks();
}

}  // namespace
}  // namespace tribe::startup
