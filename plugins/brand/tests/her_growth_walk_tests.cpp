// Acceptance walks of the her-growth demo site (sites/her-growth.yaml) over real sockets against a
// real `tribe serve`: a newcomer arrives by a partner's link, signs up, joins and renews the
// membership (earning points), becomes a partner and refers a friend who joins; the commissions
// are held, then payable; the funnel shows what happened. Points are earned and spent without a
// balance ever going below zero (not by asking too much, not by racing redemptions), a purchase
// earns its points once however often its event is delivered, and a refund takes them back. Time
// moves by restarting `tribe serve` with --clock-offset on the same database. The ledger is
// checked after each walk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <functional>
#include <thread>

#include "demo_site_walk.hpp"
#include "http_client.hpp"
#include "kernel/store/database.hpp"
#include "site_walk.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::brand {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HttpReply;
using testing::HttpVisitor;
using testing::order_state;
using ::testing::UnorderedElementsAre;

class HerGrowthWalk : public testing::DemoSiteWalk {
 protected:
  HerGrowthWalk() : DemoSiteWalk("her-growth") {}

  static std::int64_t points(HttpVisitor& browser) {
    return json(browser, "/api/points").value("points", std::int64_t{-1});
  }

  // Purchase points arrive with the order.paid event, outside the request: polled, bounded.
  static std::int64_t points_when(HttpVisitor& browser, std::int64_t expected) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::int64_t now = points(browser);
    while (now != expected && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      now = points(browser);
    }
    return now;
  }

  // Polls `done` for up to 20 seconds.
  static bool eventually(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
  }

  static std::int64_t reward_left(HttpVisitor& browser, const std::string& id) {
    const sdk::Json page = json(browser, "/api/rewards");  // named: the loop refers into it
    for (const auto& reward : page["rewards"]) {
      if (reward["id"] == id) return reward["left"].get<std::int64_t>();
    }
    return -1;
  }

  // The member's history lines as "+100" or "-30", newest first.
  static std::vector<std::string> history(HttpVisitor& browser) {
    std::vector<std::string> lines;
    const sdk::Json page = json(browser, "/api/points");  // named: the loop refers into it
    for (const auto& line : page["history"]) {
      lines.push_back(line["display_points"].get<std::string>());
    }
    return lines;
  }

  long long query(const std::string& sql) const {
    auto database = kernel::store::Database::open(database_url(), 1);
    soci::session session(database->pool());
    long long value = 0;
    session << sql, soci::into(value);
    return value;
  }

  void execute(const std::string& sql) const {
    auto database = kernel::store::Database::open(database_url(), 1);
    soci::session session(database->pool());
    session << sql;
  }
};

TEST_F(HerGrowthWalk, ShippedSiteValidates) {
  expect_shipped_site_validates();
}

TEST_F(HerGrowthWalk, PartnerLinkToAMemberWhoRenewsBecomesAPartnerAndRefersAFriend) {
  // Day 0. A partner buys the partner programme and shares their link.
  serve(0);
  HttpVisitor partner = sign_up("partner@example.com");
  const std::string link = become_partner(partner);
  ASSERT_FALSE(link.empty());

  // A newcomer arrives by the link and signs up: a fan bound to the partner, not yet a member.
  HttpVisitor newcomer = sign_up("newcomer@example.com", link);
  EXPECT_EQ(json(newcomer, "/api/me")["stage"], "fan");
  const std::string newcomer_id = json(newcomer, "/api/me")["id"];
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], ::testing::Contains(newcomer_id));
  EXPECT_EQ(newcomer.post_form("/checkins", {{"note", "too early"}}).status, 403);
  EXPECT_EQ(points(newcomer), 0);
  const HttpReply join_page = newcomer.get("/join");
  EXPECT_EQ(join_page.status, 200);
  EXPECT_THAT(join_page.body, HasSubstr("365.00 CNY"));
  EXPECT_THAT(join_page.body, HasSubstr("加入会员"));

  // Joins (the entry offer) on the sandbox checkout page: a member with the welcome points.
  const std::string joined = pay(newcomer, "/join", "walk-join");
  EXPECT_EQ(order_state(newcomer, joined), "fulfilled");
  EXPECT_EQ(json(newcomer, "/api/me")["stage"], "member");
  EXPECT_EQ(points_when(newcomer, 100), 100);
  EXPECT_THAT(newcomer.get("/join").body, HasSubstr("续费一年"));

  // The daily check-in earns 5 points once a day; a note over 500 characters is refused.
  EXPECT_EQ(newcomer.post_form("/checkins", {{"note", std::string(501, 'x')}}).status, 400);
  const HttpReply checked = newcomer.post_form("/checkins", {{"note", "今天读完了第一章"}});
  EXPECT_EQ(checked.status, 303);
  EXPECT_EQ(checked.location, "/points");
  EXPECT_EQ(newcomer.post_form("/checkins", {{"note", "again"}}).status, 303);
  EXPECT_EQ(points(newcomer), 105);
  EXPECT_EQ(json(newcomer, "/api/points")["checked_in_today"], true);
  const HttpReply points_page = newcomer.get("/points");
  EXPECT_EQ(points_page.status, 200);
  EXPECT_THAT(points_page.body, HasSubstr("今天已打卡"));
  EXPECT_THAT(points_page.body, HasSubstr("每日打卡"));                     // the history's reason
  EXPECT_THAT(points_page.body, ::testing::Not(HasSubstr("/checkins\"")));  // no second form

  // Renews for another year: the term is extended and earns the membership's points again.
  const std::string renewed = pay(newcomer, "/join", "walk-renew");
  EXPECT_EQ(order_state(newcomer, renewed), "fulfilled");
  EXPECT_EQ(points_when(newcomer, 205), 205);
  EXPECT_THAT(history(newcomer), ElementsAre("+100", "+5", "+100"));
  EXPECT_THAT(commissions(partner), ElementsAre("36.50 CNY L1 held", "36.50 CNY L1 held"));

  // The newcomer becomes a partner (99 yuan: 99 points) and refers a friend, who joins.
  const std::string second_link = become_partner(newcomer);
  ASSERT_FALSE(second_link.empty());
  EXPECT_EQ(points_when(newcomer, 304), 304);
  HttpVisitor friend_ = sign_up("friend@example.com", second_link);
  const std::string friend_id = json(friend_, "/api/me")["id"];
  EXPECT_THAT(json(newcomer, "/api/partner")["referrals"], ::testing::Contains(friend_id));
  const std::string friend_joined = pay(friend_, "/join", "friend-join");
  EXPECT_EQ(order_state(friend_, friend_joined), "fulfilled");
  EXPECT_EQ(points_when(friend_, 100), 100);
  EXPECT_THAT(commissions(newcomer), ElementsAre("36.50 CNY L1 held"));
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("36.50 CNY L1 held", "36.50 CNY L1 held", "18.25 CNY L2 held"));

  // Day 8: the refund windows (7 days) have closed; the sweep makes every commission payable.
  serve(8);
  follow(partner);
  follow(newcomer);
  follow(friend_);
  EXPECT_TRUE(await_payable(partner, 3));
  EXPECT_TRUE(await_payable(newcomer, 1));
  EXPECT_THAT(
      commissions(partner),
      UnorderedElementsAre("36.50 CNY L1 payable", "36.50 CNY L1 payable", "18.25 CNY L2 payable"));
  EXPECT_THAT(commissions(newcomer), ElementsAre("36.50 CNY L1 payable"));

  // The funnel over the walk's days: four browsers came (two by partner links) and signed up,
  // three bought for the first time (the partner programme, two memberships), the newcomer bought
  // again twice (the renewal, the partner programme), every purchase of the two referred people
  // counts as referred, and the ladder holds one fan (the admin), one member, two partners.
  HttpVisitor admin = sign_up("owner@her-growth.example");
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
                            .ladder = sdk::Json({{"fan", 1}, {"member", 1}, {"partner", 2}})});
  // The plugin's step: awards of points (two partner programmes, three memberships, a check-in).
  EXPECT_EQ(funnel["steps"]["brand.points_awarded"], 6);
  expect_ledger_checks();
}

// A member with 100 points asks for a 500-point reward: 409, nothing spent, the stock kept. Six
// redemptions of the 30-point notebook at once: three succeed, three are refused, the balance is
// 10 and never went below zero; a resubmitted form redeems once.
TEST_F(HerGrowthWalk, PointsAreNeverOverdrawnNotEvenByRacingRedemptions) {
  serve(0);
  HttpVisitor member = sign_up("member@example.com");
  const std::string member_id = json(member, "/api/me")["id"];
  EXPECT_EQ(member.post_form("/rewards/notebook/redeem", {{"idempotency_key", "early"}}).status,
            409);  // no points yet
  pay(member, "/join", "join");
  ASSERT_EQ(points_when(member, 100), 100);

  const HttpReply short_of =
      member.post_form("/rewards/tea-with-founder/redeem", {{"idempotency_key", "tea-1"}});
  EXPECT_EQ(short_of.status, 409);
  EXPECT_THAT(short_of.body, HasSubstr("积分不足"));
  EXPECT_EQ(points(member), 100);
  EXPECT_EQ(reward_left(member, "tea-with-founder"), 3);
  EXPECT_EQ(member.post_form("/rewards/nothing/redeem", {{"idempotency_key", "x"}}).status, 404);

  std::vector<HttpReply> replies(6);
  {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < replies.size(); ++i) {
      threads.emplace_back([&, i, browser = member]() mutable {
        replies[i] = browser.post_form("/api/rewards/notebook/redeem",
                                       {{"idempotency_key", "race-" + std::to_string(i)}});
      });
    }
    for (auto& thread : threads) thread.join();
  }
  int redeemed = 0;
  int refused = 0;
  for (const auto& reply : replies) {
    if (reply.status == 200) {
      ++redeemed;
      EXPECT_EQ(sdk::Json::parse(reply.body)["redeemed"], true) << reply.body;
    } else {
      ++refused;
      EXPECT_EQ(reply.status, 409) << reply.body;
    }
  }
  EXPECT_EQ(redeemed, 3);
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(points(member), 10);
  EXPECT_EQ(balance("points:" + member_id, "PTS"),
            -10);                                  // the ledger: what a member holds is a credit
  EXPECT_EQ(reward_left(member, "notebook"), 97);  // refused ones put their stock back
  EXPECT_THAT(history(member), ElementsAre("-30", "-30", "-30", "+100"));

  // The same form again redeems nothing; the form page works without scripts.
  int winner = 0;
  while (winner < 5 && replies[winner].status != 200) ++winner;
  const HttpReply again = member.post_form("/rewards/notebook/redeem",
                                           {{"idempotency_key", "race-" + std::to_string(winner)}});
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(points(member), 10);
  EXPECT_EQ(reward_left(member, "notebook"), 97);
  const HttpReply page = member.get("/rewards");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("/rewards/notebook/redeem"));
  EXPECT_THAT(page.body, HasSubstr("剩余: 97"));
  EXPECT_EQ(balance("site:points", "PTS"), 10);  // what members hold, from the site's side
  expect_ledger_checks();
}

// The order.paid events are delivered again after a restart (as after a crash before their
// delivery was recorded): the purchase points are not awarded twice. A refund takes the order's
// points back, or what the member still holds of them.
TEST_F(HerGrowthWalk, PurchasePointsOnceHoweverOftenDeliveredAndTakenBackOnRefund) {
  serve(0);
  HttpVisitor member = sign_up("reader@example.com");
  const std::string member_id = json(member, "/api/me")["id"];
  const HttpReply events = member.get("/events");
  EXPECT_EQ(events.status, 200);
  EXPECT_THAT(events.body, HasSubstr("/events/book-self-management/buy"));
  const std::string book = pay(member, "/events/book-self-management/buy", "book-1");
  EXPECT_EQ(order_state(member, book), "fulfilled");
  EXPECT_EQ(points_when(member, 59), 59);  // 59 yuan
  const std::string joined = pay(member, "/join", "join");
  EXPECT_EQ(points_when(member, 159), 159);
  EXPECT_EQ(json(member, "/api/events")["books"][0]["left"], 299);

  // Every order.paid event delivered again, to every handler, on the next start.
  server_.reset();
  const long long paid_events =
      query("SELECT COUNT(*) FROM tribe_outbox WHERE topic = 'order.paid'");
  ASSERT_EQ(paid_events, 2);
  execute(
      "UPDATE tribe_outbox SET state = 'pending', next_attempt_at = 0, locked_until = 0 WHERE "
      "topic = 'order.paid'");
  execute("DELETE FROM tribe_event_deliveries");
  ASSERT_EQ(query("SELECT COUNT(*) FROM tribe_outbox WHERE topic = 'order.paid' AND state = "
                  "'pending'"),
            paid_events);
  serve(0);
  follow(member);
  EXPECT_TRUE(eventually([&] {
    return query(
               "SELECT COUNT(*) FROM tribe_outbox WHERE topic = 'order.paid' AND state = "
               "'delivered'") == paid_events;
  }));
  EXPECT_EQ(points(member), 159);
  EXPECT_EQ(balance("points:" + member_id, "PTS"), -159);  // held: a credit
  EXPECT_THAT(history(member), ElementsAre("+100", "+59"));

  // Spends 120 on two film-salon seats, then refunds the membership: it earned 100, but 39 are
  // left, so 39 are taken back and the balance stops at zero.
  for (const char* key : {"seat-1", "seat-2"}) {
    EXPECT_EQ(member.post_form("/rewards/salon-seat/redeem", {{"idempotency_key", key}}).status,
              303);
  }
  EXPECT_EQ(points(member), 39);
  const HttpReply refunded = member.post_form("/orders/" + joined + "/refund", {});
  EXPECT_EQ(refunded.status, 303) << refunded.body;
  EXPECT_EQ(order_state(member, joined), "refunded");
  EXPECT_EQ(points_when(member, 0), 0);
  EXPECT_THAT(history(member), ElementsAre("-39", "-60", "-60", "+100", "+59"));
  EXPECT_EQ(balance("points:" + member_id, "PTS"), 0);
  expect_ledger_checks();
}

}  // namespace
}  // namespace tribe::brand
