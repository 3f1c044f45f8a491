// Acceptance walks of the thinking-camp demo site (sites/thinking-camp.yaml) over real sockets
// against a real `tribe serve`: a visitor arrives by a partner's link, signs up, buys the first
// cohort on the sandbox checkout page, checks in, is offered the next cohort as the seat nears its
// end and buys it, becomes a partner and refers a friend who buys the first cohort too; both
// partners' commissions (both levels) are held, then payable, and the funnel counts what the walk
// did. The deposit challenge gives the deposit back to who checked in enough and forfeits the
// others' to the scholarship account, each once; a cohort's seats never oversell. Time moves by
// restarting `tribe serve` with --clock-offset on the same database. The ledger is checked after
// each walk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "demo_site_walk.hpp"
#include "http_client.hpp"
#include "kernel/money/ledger.hpp"
#include "kernel/store/database.hpp"
#include "site_walk.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::learning {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HttpReply;
using testing::HttpVisitor;
using testing::order_state;
using testing::ServedTribe;
using ::testing::UnorderedElementsAre;

class ThinkingCampWalk : public testing::DemoSiteWalk {
 protected:
  ThinkingCampWalk() : DemoSiteWalk("thinking-camp") {}

  // The member's cohort `id` on /api/learning (null when they never had a seat in it).
  static sdk::Json cohort(HttpVisitor& browser, const std::string& id) {
    const sdk::Json learning = json(browser, "/api/learning");
    for (const auto& item : learning["cohorts"]) {
      if (item["id"] == id) return item;
    }
    return sdk::Json();
  }

  // The member's deposits in the think-21 challenge.
  static sdk::Json deposits(HttpVisitor& browser) {
    return json(browser, "/api/challenges/think-21")["deposits"];
  }
};

TEST_F(ThinkingCampWalk, ShippedSiteValidates) {
  expect_shipped_site_validates();
}

TEST_F(ThinkingCampWalk, PartnerLinkToAStudentWhoBuysTheNextCohortAndRefersAFriend) {
  // Day 0. A partner of the camp buys the partner programme and shares their link.
  serve(0);
  HttpVisitor partner = sign_up("partner@example.com");
  const std::string link = become_partner(partner);
  ASSERT_FALSE(link.empty());

  // A student arrives by the link and signs up: a fan, bound to the partner, with no seat yet.
  HttpVisitor student = sign_up("student@example.com", link);
  EXPECT_EQ(json(student, "/api/me")["stage"], "fan");
  const std::string student_id = json(student, "/api/me")["id"];
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], ::testing::Contains(student_id));
  const HttpReply closed = student.get("/cohorts/cohort-1");
  EXPECT_EQ(closed.status, 403);
  EXPECT_THAT(closed.body, HasSubstr("/cohorts/cohort-1/join"));  // the Join button
  EXPECT_THAT(closed.body, HasSubstr("剩余名额: 30"));
  EXPECT_EQ(student.post_form("/checkins", {{"note", "too early"}}).status, 403);

  // Buys the first cohort on the sandbox checkout page: a member with a seat.
  const std::string first = pay(student, "/cohorts/cohort-1/join", "walk-cohort-1");
  EXPECT_EQ(order_state(student, first), "fulfilled");
  EXPECT_EQ(json(student, "/api/me")["stage"], "member");
  const HttpReply open = student.get("/cohorts/cohort-1");
  EXPECT_EQ(open.status, 200) << open.body;
  EXPECT_THAT(open.body, HasSubstr("今晚八点直播"));            // the members' note
  EXPECT_THAT(open.body, ::testing::Not(HasSubstr("下一期")));  // four weeks to go
  EXPECT_EQ(student.get("/cohorts/cohort-2").status, 403);
  EXPECT_THAT(student.get("/").body, HasSubstr("剩余名额: 29"));

  // Checks in (a second submit the same day counts once; a note over 500 characters is refused).
  EXPECT_EQ(student.post_form("/checkins", {{"note", std::string(501, 'x')}}).status, 400);
  const HttpReply checked = student.post_form("/checkins", {{"note", "第一题:什么是好问题"}});
  EXPECT_EQ(checked.status, 303);
  EXPECT_EQ(checked.location, "/learn");
  EXPECT_EQ(student.post_form("/checkins", {{"note", "again"}}).status, 303);
  sdk::Json learning = json(student, "/api/learning");
  EXPECT_EQ(learning["checked_in_today"], true);
  EXPECT_EQ(learning["checkin_days"], 1);
  sdk::Json seat = cohort(student, "cohort-1");
  EXPECT_EQ(seat["active"], true);
  EXPECT_EQ(seat["has_next"], false);
  const std::string first_until = seat["until"];
  EXPECT_THAT(commissions(partner), ElementsAre("19.90 CNY L1 held"));

  // Day 22: the seat ends in six days; the next cohort is offered, on the member's page and on
  // the cohort's page, and bought with the offered button.
  serve(22);
  follow(student);
  follow(partner);
  EXPECT_EQ(json(student, "/api/learning")["checked_in_today"], false);
  seat = cohort(student, "cohort-1");
  ASSERT_EQ(seat["has_next"], true) << seat.dump();
  EXPECT_EQ(seat["next"]["id"], "cohort-2");
  EXPECT_EQ(seat["until"], first_until);
  EXPECT_THAT(student.get("/cohorts/cohort-1").body, HasSubstr("下一期"));
  EXPECT_THAT(student.get("/learn").body, HasSubstr("/cohorts/cohort-2/join"));
  const std::string second =
      pay(student, "/cohorts/cohort-2/join", seat["next"]["idempotency_key"]);
  EXPECT_EQ(order_state(student, second), "fulfilled");
  EXPECT_EQ(cohort(student, "cohort-1")["has_next"], false);  // holds the next seat now
  EXPECT_EQ(cohort(student, "cohort-2")["active"], true);
  EXPECT_EQ(student.get("/cohorts/cohort-2").status, 200);
  EXPECT_EQ(student.post_form("/checkins", {{"note", "第二十二题"}}).status, 303);
  EXPECT_EQ(json(student, "/api/learning")["checkin_days"], 2);

  // The student becomes a partner too and refers a friend, who buys the first cohort.
  const std::string student_link = become_partner(student);
  ASSERT_FALSE(student_link.empty());
  EXPECT_NE(student_link, link);
  HttpVisitor friend_ = sign_up("friend@example.com", student_link);
  EXPECT_EQ(json(friend_, "/api/me")["stage"], "fan");
  const std::string friend_id = json(friend_, "/api/me")["id"];
  EXPECT_THAT(json(student, "/api/partner")["referrals"], ::testing::Contains(friend_id));
  EXPECT_THAT(json(partner, "/api/partner")["referrals"],
              ::testing::Not(::testing::Contains(friend_id)));
  const std::string friends = pay(friend_, "/cohorts/cohort-1/join", "friend-cohort-1");
  EXPECT_EQ(order_state(friend_, friends), "fulfilled");
  EXPECT_EQ(json(friend_, "/api/me")["stage"], "member");
  EXPECT_EQ(friend_.get("/cohorts/cohort-1").status, 200);

  // The first commission's refund window (7 days) closed on day 7, the others' are open: the
  // partner's 10% of the student's second cohort and 5% (level 2) of the friend's cohort, the
  // student's 10% (level 1) of the friend's. The partner programme pays no commission.
  EXPECT_THAT(commissions(partner), UnorderedElementsAre("19.90 CNY L1 payable",
                                                         "19.90 CNY L1 held", "9.95 CNY L2 held"));
  EXPECT_THAT(commissions(student), ElementsAre("19.90 CNY L1 held"));
  EXPECT_TRUE(json(student, "/api/partner")["payable"].empty());

  // Day 31: the sessions (30 days) have ended, so both log in again. The first seat is over (its
  // page closes), the second runs; the other refund windows have closed too (day 29), and the
  // sweep makes their commissions payable.
  serve(31);
  follow(student);
  follow(partner);
  follow(friend_);
  EXPECT_EQ(student.get("/cohorts/cohort-2").status, 303);  // to the log-in page
  log_in(student, "student@example.com");
  log_in(partner, "partner@example.com");
  EXPECT_EQ(student.get("/cohorts/cohort-1").status, 403);
  EXPECT_EQ(cohort(student, "cohort-1")["active"], false);
  EXPECT_EQ(student.get("/cohorts/cohort-2").status, 200);
  EXPECT_EQ(cohort(student, "cohort-2")["has_next"], false);  // ends on day 50
  EXPECT_EQ(friend_.get("/cohorts/cohort-1").status, 200);    // the friend's seat runs to day 50
  await_payable(partner, 3);
  await_payable(student, 1);
  EXPECT_THAT(
      commissions(partner),
      UnorderedElementsAre("19.90 CNY L1 payable", "19.90 CNY L1 payable", "9.95 CNY L2 payable"));
  EXPECT_THAT(commissions(student), ElementsAre("19.90 CNY L1 payable"));
  EXPECT_THAT(json(partner, "/api/partner")["payable"].dump(), HasSubstr("49.75 CNY"));
  EXPECT_THAT(json(student, "/api/partner")["payable"].dump(), HasSubstr("19.90 CNY"));

  // The site's funnel over the walk's days shows what the walk did: four browsers came (two by
  // partner links) and signed up; three bought for the first time (the partner programme, the
  // student's and the friend's first cohort); the student bought twice more (the next cohort,
  // the partner programme); the referred student's three purchases and the friend's one count
  // as referred; the ladder holds one fan (the admin), one member (the friend) and two partners.
  HttpVisitor admin = sign_up("owner@thinking-camp.example");
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
  EXPECT_DOUBLE_EQ(funnel["repurchase"]["rate"].get<double>(), 1.0 / 3.0);
  // The plugin's step: the student's check-ins of day 0 and day 22; from day 1 on, day 22's only.
  EXPECT_EQ(funnel["steps"]["learning.check_ins"], 2);
  EXPECT_EQ(json(admin, "/api/funnel?from=" + testing::utc_date(1) +
                            "&to=" + testing::utc_date(40))["steps"]["learning.check_ins"],
            1);
  EXPECT_EQ(admin.get("/api/funnel?from=2026-13-01").status, 400);
  expect_ledger_checks();
}

// Two students pay the 99.00 deposit of the 21-day challenge (15 check-in days needed). One checks
// in on 15 days, the other on 14. The day after the window the scheduler settles the deposits:
// the first given back through the gateway, the second forfeited to site:scholarship. Nothing moves
// twice: not by settling again, not by restarting.
TEST_F(ThinkingCampWalk, DepositIsGivenBackOnCompletionAndForfeitedOtherwiseEachOnce) {
  serve(0);
  HttpVisitor admin = sign_up("owner@thinking-camp.example");
  HttpVisitor finisher = sign_up("finisher@example.com");
  HttpVisitor quitter = sign_up("quitter@example.com");
  const HttpReply page = finisher.get("/challenges/think-21");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("99.00 CNY"));
  EXPECT_THAT(page.body, HasSubstr("/challenges/think-21/join"));
  const std::string kept = pay(finisher, "/challenges/think-21/join", "deposit-finisher");
  const std::string lost = pay(quitter, "/challenges/think-21/join", "deposit-quitter");
  EXPECT_EQ(order_state(finisher, kept), "fulfilled");
  // A second deposit while one is held is refused.
  EXPECT_EQ(finisher.post_form("/challenges/think-21/join", {{"idempotency_key", "again"}}).status,
            409);
  ASSERT_EQ(deposits(finisher).size(), 1u);
  EXPECT_EQ(deposits(finisher)[0]["state"], "held");
  EXPECT_EQ(deposits(finisher)[0]["days_left"], 21);
  EXPECT_EQ(balance("deposits:think-21"), -2 * 9900);  // held: a credit of the pot

  // Days 0..14: the finisher checks in every day (15 days), the quitter stops a day earlier.
  for (int day = 0; day <= 14; ++day) {
    if (day > 0) {
      serve(day);
      follow(finisher);
      follow(quitter);
    }
    EXPECT_EQ(finisher.post_form("/checkins", {{"note", "day " + std::to_string(day)}}).status,
              303);
    if (day < 14) {
      EXPECT_EQ(quitter.post_form("/checkins", {{"note", "day " + std::to_string(day)}}).status,
                303);
    }
  }
  EXPECT_EQ(deposits(finisher)[0]["counted"], 15);
  EXPECT_EQ(deposits(quitter)[0]["counted"], 14);

  // Day 20, the window's last day: nothing is due yet.
  serve(20);
  follow(admin);
  follow(finisher);
  follow(quitter);
  sdk::Json settled = json(admin, "/api/challenges/think-21");  // admins see every deposit
  ASSERT_EQ(settled["holdings"].size(), 2u);
  for (const auto& held : settled["holdings"]) EXPECT_EQ(held["state"], "held");
  HttpReply early = admin.post_form("/api/challenges/think-21/settle", {});
  ASSERT_EQ(early.status, 200) << early.body;
  EXPECT_EQ(sdk::Json::parse(early.body)["given_back"], 0);
  EXPECT_EQ(sdk::Json::parse(early.body)["forfeited"], 0);

  // Day 21: the windows are over. No one needs to come by: the kernel's scheduler runs the
  // plugin's hourly settlement (Registry::every) on the site's clock, which gives the first
  // deposit back through the sandbox gateway and forfeits the second.
  serve(21);
  follow(admin);
  follow(finisher);
  follow(quitter);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while ((deposits(finisher)[0]["state"] != "returned" ||
          deposits(quitter)[0]["state"] != "forfeited") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(deposits(finisher)[0]["state"], "returned");
  EXPECT_EQ(deposits(quitter)[0]["state"], "forfeited");
  // A newcomer buys a seat: revenue the site keeps, unlike the deposits.
  HttpVisitor newcomer = sign_up("newcomer@example.com");
  pay(newcomer, "/cohorts/cohort-1/join", "newcomer-seat");
  EXPECT_EQ(order_state(finisher, kept), "refunded");  // given back through the sandbox gateway
  EXPECT_EQ(order_state(quitter, lost), "fulfilled");
  EXPECT_EQ(balance("deposits:think-21"), 0);
  EXPECT_EQ(balance("site:scholarship"), -9900);  // the forfeit went where the YAML says
  const HttpReply again = admin.post_form("/api/challenges/think-21/settle", {});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(sdk::Json::parse(again.body)["given_back"], 0);
  EXPECT_EQ(sdk::Json::parse(again.body)["forfeited"], 0);
  EXPECT_EQ(quitter.post_form("/challenges/think-21/settle", {}).status, 303);  // their own: none
  std::map<std::string, std::string> reasons;
  const sdk::Json settled_page = json(admin, "/api/challenges/think-21");  // outlives the loop
  for (const auto& held : settled_page["holdings"]) {
    reasons[held["order"].get<std::string>()] = held["reason"].get<std::string>();
  }
  EXPECT_THAT(reasons[kept], HasSubstr("15 of 21 days")) << ::testing::PrintToString(reasons);
  EXPECT_THAT(reasons[lost], HasSubstr("14 of 21 days"));

  // A restart settles nothing twice.
  serve(22);
  follow(finisher);
  EXPECT_EQ(deposits(finisher)[0]["state"], "returned");
  EXPECT_EQ(balance("deposits:think-21"), 0);
  EXPECT_EQ(balance("site:scholarship"), -9900);
  // Net of refunds, the site earned the newcomer's seat: the deposits were never its revenue.
  EXPECT_EQ(balance("site:refunds"), 9900);
  EXPECT_EQ(balance("site:revenue") + balance("site:refunds"), -19900);
  expect_ledger_checks();
}

// Cohort 1 with 3 seats and 6 buyers at once: 3 orders, 3 refused as sold out, 3 paid. When the
// seats end, their holders are offered the next cohort.
TEST_F(ThinkingCampWalk, CohortSeatsNeverOversell) {
  std::string yaml;
  {
    std::ifstream in(dir_ / "sites" / "thinking-camp.yaml");
    std::stringstream text;
    text << in.rdbuf();
    yaml = text.str();
  }
  const auto at = yaml.find("capacity: 30");  // cohort-1 is the first offer
  ASSERT_NE(at, std::string::npos);
  ASSERT_LT(at, yaml.find("id: cohort-2"));
  yaml.replace(at, 12, "capacity: 3");
  std::ofstream(dir_ / "sites" / "thinking-camp.yaml") << yaml;
  serve(0);

  std::vector<HttpVisitor> buyers;
  for (int i = 0; i < 6; ++i) buyers.push_back(sign_up("buyer" + std::to_string(i) + "@x.com"));
  const std::vector<HttpReply> ordered = buy_at_once(buyers, "/cohorts/cohort-1/join");
  int reserved = 0;
  int refused = 0;
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    if (ordered[i].status == 303) {
      ++reserved;
      EXPECT_EQ(buyers[i].post_form(ordered[i].location + "/pay", {}).status, 303);
      EXPECT_EQ(order_state(buyers[i], ordered[i].location.substr(10)), "fulfilled");
      EXPECT_EQ(buyers[i].get("/cohorts/cohort-1").status, 200);
    } else {
      ++refused;
      EXPECT_EQ(ordered[i].status, 409) << ordered[i].body;
      EXPECT_EQ(buyers[i].get("/cohorts/cohort-1").status, 403);
    }
  }
  EXPECT_EQ(reserved, 3);
  EXPECT_EQ(refused, 3);
  // Sold out: the page says so and a late buyer is refused too.
  HttpVisitor late = sign_up("late@x.com");
  EXPECT_THAT(late.get("/").body, HasSubstr("剩余名额: 0"));
  EXPECT_THAT(late.get("/cohorts/cohort-1").body, HasSubstr("名额已满"));
  EXPECT_EQ(late.post_form("/cohorts/cohort-1/join", {{"idempotency_key", "late"}}).status, 409);
  EXPECT_EQ(balance("site:revenue"), -3 * 19900);

  // Day 29: the seats have ended. The cohort's page is closed again and offers the next cohort,
  // as does the member's page.
  serve(29);
  int offered = 0;
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    if (ordered[i].status != 303) continue;
    follow(buyers[i]);
    const HttpReply page = buyers[i].get("/cohorts/cohort-1");
    EXPECT_EQ(page.status, 403);
    EXPECT_THAT(page.body, HasSubstr("/cohorts/cohort-2/join"));
    EXPECT_THAT(page.body, HasSubstr("下一期"));
    const sdk::Json seat = cohort(buyers[i], "cohort-1");
    EXPECT_EQ(seat["active"], false);
    offered += seat["has_next"] == true && seat["next"]["id"] == "cohort-2";
  }
  EXPECT_EQ(offered, 3);
  expect_ledger_checks();
}

}  // namespace
}  // namespace tribe::learning
