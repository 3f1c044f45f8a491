// Acceptance walks of the story-school demo site (sites/story-school.yaml) over real sockets
// against a real `tribe serve`: a parent arrives by a partner's link, signs up, buys the 9.90
// micro-course (the way in) and then the full course, becomes a partner and refers a friend who
// buys too; the commissions are held, then payable after the refund window, and the funnel counts
// what the walk did. Lessons open on schedule from each learner's own start as the days pass, a
// learner marks lessons done (never an unreleased one) and their progress counts; the mall's
// limited stock never oversells. Time moves by restarting `tribe serve` with --clock-offset on the
// same database. The ledger is checked after each walk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "demo_site_walk.hpp"
#include "http_client.hpp"
#include "site_walk.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::education {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::HttpReply;
using testing::HttpVisitor;
using ::testing::Not;
using testing::order_state;
using ::testing::UnorderedElementsAre;

constexpr const char* kLesson1Body = "睡前故事要短、要暖";  // micro-course lesson 1, holders only
constexpr const char* kWeek1Body = "零到三岁的孩子";        // full course week 1
constexpr const char* kWeek2Body = "好的讲述者会用声音";    // full course week 2 (day 7)

class StorySchoolWalk : public testing::DemoSiteWalk {
 protected:
  StorySchoolWalk() : DemoSiteWalk("story-school") {}

  // "done/released/total" of the member's course `id` on /api/courses/{id}/progress.
  static std::string progress(HttpVisitor& browser, const std::string& id) {
    const sdk::Json course = json(browser, "/api/courses/" + id + "/progress");
    if (!course.is_object()) return "not JSON";
    return std::to_string(course.value("done", -1)) + "/" +
           std::to_string(course.value("released", -1)) + "/" +
           std::to_string(course.value("total", -1));
  }
};

TEST_F(StorySchoolWalk, ShippedSiteValidates) {
  expect_shipped_site_validates();
}

TEST_F(StorySchoolWalk, PartnerLinkToAParentWhoBuysTheMicroCourseThenTheCourseAndRefersAFriend) {
  // Day 0. A partner of the school buys the partner programme and shares their link.
  serve(0);
  HttpVisitor partner = sign_up("partner@example.com");
  const std::string link = become_partner(partner);
  ASSERT_FALSE(link.empty());

  // A parent arrives by the link and signs up: a fan, bound to the partner, with no course yet.
  HttpVisitor parent = sign_up("parent@example.com", link);
  EXPECT_EQ(json(parent, "/api/me")["stage"], "fan");
  const std::string parent_id = json(parent, "/api/me")["id"];
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], ::testing::Contains(parent_id));
  const HttpReply closed = parent.get("/courses/micro/lessons/lesson-1");
  EXPECT_EQ(closed.status, 403);
  EXPECT_THAT(closed.body, HasSubstr("action=\"/courses/micro/join\""));  // the Join button
  EXPECT_THAT(closed.body, Not(HasSubstr(kLesson1Body)));
  EXPECT_TRUE(json(parent, "/api/progress")["courses"].empty());

  // Buys the micro-course (the way in): a member, who opens its first lesson today.
  const std::string micro = pay(parent, "/courses/micro/join", "walk-micro");
  EXPECT_EQ(order_state(parent, micro), "fulfilled");
  EXPECT_EQ(json(parent, "/api/me")["stage"], "member");
  const HttpReply first = parent.get("/courses/micro/lessons/lesson-1");
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_THAT(first.body, HasSubstr(kLesson1Body));
  const HttpReply tomorrow = parent.get("/courses/micro/lessons/lesson-2");
  EXPECT_EQ(tomorrow.status, 403);
  EXPECT_THAT(tomorrow.body, HasSubstr(testing::utc_date(1)));         // opens on <date>
  EXPECT_EQ(parent.get("/courses/story/lessons/week-1").status, 403);  // not bought yet

  // Buys the full course next: its first week opens at once.
  const std::string course = pay(parent, "/courses/story/join", "walk-story");
  EXPECT_EQ(order_state(parent, course), "fulfilled");
  EXPECT_THAT(parent.get("/courses/story/lessons/week-1").body, HasSubstr(kWeek1Body));
  EXPECT_EQ(json(parent, "/api/progress")["courses"].size(), 2u);

  // The parent becomes a partner too and refers a friend, who buys the micro-course.
  const std::string parent_link = become_partner(parent);
  ASSERT_FALSE(parent_link.empty());
  EXPECT_NE(parent_link, link);
  HttpVisitor friend_ = sign_up("friend@example.com", parent_link);
  const std::string friend_id = json(friend_, "/api/me")["id"];
  EXPECT_THAT(json(parent, "/api/partner")["referrals"], ::testing::Contains(friend_id));
  const std::string friends = pay(friend_, "/courses/micro/join", "friend-micro");
  EXPECT_EQ(order_state(friend_, friends), "fulfilled");
  EXPECT_EQ(friend_.get("/courses/micro/lessons/lesson-1").status, 200);

  // Commissions, held for the 7-day refund window: the partner earns 20% of the micro-course and
  // 10% of the course from the parent, and 10% (level 2) of the friend's micro-course; the
  // parent 20% (level 1) of the friend's.
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("1.98 CNY L1 held", "19.90 CNY L1 held", "0.99 CNY L2 held"));
  EXPECT_THAT(commissions(parent), UnorderedElementsAre("1.98 CNY L1 held"));
  EXPECT_TRUE(json(partner, "/api/partner")["payable"].empty());

  // Day 8: the refund windows have closed; the sweep makes the commissions payable.
  serve(8);
  follow(partner);
  follow(parent);
  follow(friend_);
  await_payable(partner, 3);
  await_payable(parent, 1);
  EXPECT_THAT(
      commissions(partner),
      UnorderedElementsAre("1.98 CNY L1 payable", "19.90 CNY L1 payable", "0.99 CNY L2 payable"));
  EXPECT_THAT(commissions(parent), UnorderedElementsAre("1.98 CNY L1 payable"));
  EXPECT_THAT(json(partner, "/api/partner")["payable"].dump(), HasSubstr("22.87 CNY"));
  EXPECT_EQ(parent.get("/courses/story/lessons/week-2").status, 200);  // a week has passed

  // The funnel over the walk's days shows what the walk did: four browsers came (two by partner
  // links) and signed up; three bought for the first time (the partner programme, the parent's
  // and the friend's micro-course); the parent bought twice more (the course, the partner
  // programme); the referred parent's three purchases and the friend's one count as referred;
  // the ladder holds one fan (the admin), one member (the friend) and two partners.
  HttpVisitor admin = sign_up("owner@story-school.example");
  EXPECT_EQ(parent.get("/api/funnel").status, 403);  // not an admin
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
  EXPECT_EQ(funnel["steps"]["education.lessons_done"], 0);  // nobody marked a lesson done
  expect_ledger_checks();
}

// Lessons open by the schedule from each learner's own start: a week-1 learner, and one who
// starts on day 3; done marks count, an unreleased lesson cannot be completed.
TEST_F(StorySchoolWalk, LessonsOpenOnScheduleFromEachLearnersStartAndProgressCounts) {
  serve(0);
  HttpVisitor learner = sign_up("learner@example.com");
  HttpVisitor other = sign_up("other@example.com");
  const std::string order = pay(learner, "/courses/story/join", "learner-story");
  EXPECT_EQ(order_state(learner, order), "fulfilled");

  // Day 0: week 1 open, week 2 closed with its date; it cannot be marked done.
  EXPECT_THAT(learner.get("/courses/story/lessons/week-1").body, HasSubstr(kWeek1Body));
  HttpReply week2 = learner.get("/courses/story/lessons/week-2");
  EXPECT_EQ(week2.status, 403);
  EXPECT_THAT(week2.body, HasSubstr(testing::utc_date(7)));
  EXPECT_THAT(week2.body, Not(HasSubstr(kWeek2Body)));
  EXPECT_EQ(learner.post_form("/courses/story/lessons/week-2/done", {}).status, 409);
  EXPECT_EQ(progress(learner, "story"), "0/1/4");
  sdk::Json mine = json(learner, "/api/courses/story/progress");
  EXPECT_EQ(mine["holder"], true);
  EXPECT_EQ(mine["started"], testing::utc_date(0));
  EXPECT_EQ(mine["lessons"][3]["opens"], testing::utc_date(21));
  // The course page lists every lesson, the closed ones with their day and without a link.
  const std::string page = learner.get("/courses/story").body;
  EXPECT_THAT(page, HasSubstr("开放日期 " + testing::utc_date(7)));
  EXPECT_THAT(page, HasSubstr("href=\"/courses/story/lessons/week-1\""));
  EXPECT_THAT(page, Not(HasSubstr("href=\"/courses/story/lessons/week-2\"")));
  EXPECT_THAT(page, Not(HasSubstr("action=\"/courses/story/join\"")));  // a holder: no Join
  EXPECT_THAT(learner.get("/").body, HasSubstr("已加入"));

  // Marks week 1 done (twice: counted once), back to the course page.
  const HttpReply done = learner.post_form("/courses/story/lessons/week-1/done", {});
  EXPECT_EQ(done.status, 303);
  EXPECT_EQ(done.location, "/courses/story");
  EXPECT_EQ(learner.post_form("/courses/story/lessons/week-1/done", {}).status, 303);
  EXPECT_EQ(progress(learner, "story"), "1/1/4");
  EXPECT_THAT(learner.get("/courses/story").body, HasSubstr("<strong id=\"done\">1</strong>"));
  // A form without the csrf token changes nothing.
  EXPECT_NE(learner.post_form("/courses/story/lessons/week-1/done", {}, false).status, 303);

  // Who has not bought the course neither opens nor completes its lessons.
  const HttpReply refused = other.get("/courses/story/lessons/week-1");
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr("action=\"/courses/story/join\""));
  EXPECT_EQ(other.post_form("/courses/story/lessons/week-1/done", {}).status, 403);
  EXPECT_EQ(progress(other, "story"), "0/0/4");
  EXPECT_TRUE(json(other, "/api/progress")["courses"].empty());

  // Day 3: the other member buys the course; their week 2 opens on day 10.
  serve(3);
  follow(learner);
  follow(other);
  const std::string late = pay(other, "/courses/story/join", "other-story");
  EXPECT_EQ(order_state(other, late), "fulfilled");
  EXPECT_EQ(json(other, "/api/courses/story/progress")["started"], testing::utc_date(3));
  EXPECT_EQ(learner.get("/courses/story/lessons/week-2").status, 403);

  // Day 6: still closed for both.
  serve(6);
  follow(learner);
  follow(other);
  EXPECT_EQ(learner.get("/courses/story/lessons/week-2").status, 403);
  EXPECT_EQ(progress(learner, "story"), "1/1/4");

  // Day 7: a restart a week ahead opens week 2 for the first learner only.
  serve(7);
  follow(learner);
  follow(other);
  week2 = learner.get("/courses/story/lessons/week-2");
  EXPECT_EQ(week2.status, 200);
  EXPECT_THAT(week2.body, HasSubstr(kWeek2Body));
  EXPECT_EQ(progress(learner, "story"), "1/2/4");
  const HttpReply not_yet = other.get("/courses/story/lessons/week-2");
  EXPECT_EQ(not_yet.status, 403);
  EXPECT_THAT(not_yet.body, HasSubstr(testing::utc_date(10)));
  EXPECT_EQ(other.post_form("/courses/story/lessons/week-2/done", {}).status, 409);
  EXPECT_EQ(progress(other, "story"), "0/1/4");
  EXPECT_EQ(learner.post_form("/courses/story/lessons/week-2/done", {}).status, 303);
  EXPECT_EQ(progress(learner, "story"), "2/2/4");
  EXPECT_THAT(learner.get("/progress").body, HasSubstr("已完成 2 · 已开放 2 · 共 4"));

  // Day 21: every lesson has opened for the first learner; day 18 of the other's.
  serve(21);
  follow(learner);
  follow(other);
  EXPECT_EQ(progress(learner, "story"), "2/4/4");
  EXPECT_EQ(progress(other, "story"), "0/3/4");
  EXPECT_EQ(learner.post_form("/courses/story/lessons/week-4/done", {}).status, 303);
  EXPECT_EQ(progress(learner, "story"), "3/4/4");

  // The funnel's lessons_done step: weeks 1 (day 0), 2 (day 7) and 4 (day 21); from day 1 on, two.
  HttpVisitor admin = sign_up("owner@story-school.example");
  const std::string to = "&to=" + testing::utc_date(30);
  EXPECT_EQ(json(admin, "/api/funnel?from=" + testing::utc_date(-1) +
                            to)["steps"]["education.lessons_done"],
            3);
  EXPECT_EQ(json(admin, "/api/funnel?from=" + testing::utc_date(1) +
                            to)["steps"]["education.lessons_done"],
            2);
  expect_ledger_checks();
}

// The story machine with a stock of 3 and 6 buyers at once: 3 orders, 3 refused as sold out, 3
// paid; the mall says sold out and a late buyer is refused too.
TEST_F(StorySchoolWalk, MallStockNeverOversells) {
  std::string yaml = site_yaml();
  const auto at = yaml.find("capacity: 50");  // the story machine
  ASSERT_NE(at, std::string::npos);
  ASSERT_GT(at, yaml.find("id: story-machine"));
  yaml.replace(at, 12, "capacity: 3");
  std::ofstream(site_file()) << yaml;
  serve(0);

  std::vector<HttpVisitor> buyers;
  for (int i = 0; i < 6; ++i) buyers.push_back(sign_up("buyer" + std::to_string(i) + "@x.com"));
  EXPECT_EQ(json(buyers[0], "/api/shop")["products"][1]["stock"], 3);
  const std::vector<HttpReply> ordered = buy_at_once(buyers, "/shop/story-machine/buy");
  int reserved = 0;
  int refused = 0;
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    if (ordered[i].status == 303) {
      ++reserved;
      EXPECT_EQ(buyers[i].post_form(ordered[i].location + "/pay", {}).status, 303);
      EXPECT_EQ(order_state(buyers[i], ordered[i].location.substr(10)), "fulfilled");
      EXPECT_THAT(buyers[i].get("/shop").body, HasSubstr("你已购买"));
    } else {
      ++refused;
      EXPECT_EQ(ordered[i].status, 409) << ordered[i].body;
      EXPECT_THAT(buyers[i].get("/shop").body, Not(HasSubstr("你已购买")));
    }
  }
  EXPECT_EQ(reserved, 3);
  EXPECT_EQ(refused, 3);
  HttpVisitor late = sign_up("late@x.com");
  EXPECT_THAT(late.get("/shop").body, HasSubstr("已售罄"));
  EXPECT_EQ(json(late, "/api/shop")["products"][1]["stock"], 0);
  EXPECT_EQ(late.post_form("/shop/story-machine/buy", {{"idempotency_key", "late"}}).status, 409);
  EXPECT_EQ(late.post_form("/shop/micro-course/buy", {{"idempotency_key", "x"}}).status, 404);
  EXPECT_EQ(balance("site:revenue"), -3 * 29900);  // three paid, none twice
  expect_ledger_checks();
}

}  // namespace
}  // namespace tribe::education
