// The brand plugin's points rules, and the plugin loaded from its .so into a real kernel instance:
// its YAML section checked with file:line:col, the shipped demo site served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../points_rules.hpp"
#include "../section_check.hpp"
#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::brand {
namespace {

using testing::line_of;
using testing::shown;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// --- points rules -----------------------------------------------------------------------------

PointsRules demo_rules() {
  return points_rules_of(sdk::Json::parse(R"({"points": {"checkin": 5, "per_yuan": 2,
      "offers": [{"offer": "membership", "points": 100}, {"offer": "free", "points": 0}]}})"));
}

TEST(PointsRules, ReadFromTheSectionAndAbsentKeysEarnNothing) {
  const PointsRules rules = demo_rules();
  EXPECT_EQ(rules.checkin, 5);
  EXPECT_EQ(rules.per_yuan, 2);
  EXPECT_EQ(rules.per_offer.size(), 2u);
  const PointsRules none = points_rules_of(sdk::Json::object());
  EXPECT_EQ(none.checkin, 0);
  EXPECT_EQ(none.per_yuan, 0);
  EXPECT_EQ(purchase_points(none, "anything", 100000), 0);
}

TEST(PointsRules, PurchaseEarnsTheOffersPointsOrPerWholeYuanRoundedDown) {
  const PointsRules rules = demo_rules();
  EXPECT_EQ(purchase_points(rules, "membership", 36500), 100);  // fixed, whatever the amount
  EXPECT_EQ(purchase_points(rules, "free", 36500), 0);
  EXPECT_EQ(purchase_points(rules, "book", 5900), 118);  // 59 yuan x 2
  EXPECT_EQ(purchase_points(rules, "book", 5999), 118);  // 59.99 yuan: whole yuan only
  EXPECT_EQ(purchase_points(rules, "book", 99), 0);
  EXPECT_EQ(purchase_points(rules, "book", 0), 0);
  EXPECT_EQ(purchase_points(rules, "book", -500), 0);
}

TEST(PointsRules, RefundTakesBackWhatWasAwardedOrWhatIsStillHeld) {
  EXPECT_EQ(take_back(100, 250), 100);
  EXPECT_EQ(take_back(100, 100), 100);
  EXPECT_EQ(take_back(100, 40), 40);
  EXPECT_EQ(take_back(100, 0), 0);
  EXPECT_EQ(take_back(100, -3), 0);
}

TEST(PointsRules, KeysNameTheMemberDayOrderAndForm) {
  const auto day = std::chrono::sys_days(std::chrono::year{2027} / 3 / 8);
  EXPECT_EQ(checkin_key("m1", day), "checkin:m1:2027-03-08");
  EXPECT_NE(checkin_key("m1", day), checkin_key("m1", day + std::chrono::days(1)));
  EXPECT_EQ(order_key("o-9"), "order:o-9");
  EXPECT_EQ(refund_key("o-9"), "refund:o-9");
  EXPECT_EQ(reward_key("m1", "notebook", "k"), "reward:m1:notebook:k");
}

// --- the section check ------------------------------------------------------------------------

std::vector<sdk::Offer> shop_offers() {
  std::vector<sdk::Offer> offers;
  for (const char* id : {"membership", "tour-shanghai", "salon-film", "book-self-management"}) {
    offers.emplace_back().id = id;
  }
  return offers;
}

sdk::Json shop_section() {
  return sdk::Json::parse(R"({
    "points": {"checkin": 5, "offers": [{"offer": "membership", "points": 100}]},
    "rewards": [{"id": "notebook", "title": "N", "cost": 30, "stock": 100},
                {"id": "seat", "title": "S", "cost": 1, "stock": 0}],
    "events": [{"offer": "tour-shanghai"}, {"offer": "salon-film"}],
    "books": [{"offer": "book-self-management"}]})");
}

TEST(BrandSectionCheck, AConsistentSectionHasNoProblems) {
  EXPECT_THAT(shown(section_problems(shop_section(), shop_offers())), ::testing::IsEmpty());
  EXPECT_THAT(shown(section_problems(sdk::Json::object(), {})), ::testing::IsEmpty());
}

TEST(BrandSectionCheck, UnknownOffersAndRewardsCostingNothingAreEachNamedByTheirPath) {
  sdk::Json bad = shop_section();
  bad["points"]["offers"].push_back({{"offer", "partner"}, {"points", 10}});
  bad["rewards"][0]["cost"] = 0;
  bad["rewards"][1]["cost"] = -5;
  bad["rewards"][1]["stock"] = -1;
  bad["events"][1]["offer"] = "salon-films";
  bad["books"][0]["offer"] = "book-self-managment";
  EXPECT_THAT(
      shown(section_problems(bad, shop_offers())),
      ElementsAre("points.offers[1].offer: no offer 'partner' on this site",
                  "rewards[0].cost: a reward must cost at least 1 point",
                  "rewards[1].cost: a reward must cost at least 1 point",
                  "rewards[1].stock: the stock cannot be negative; write 0 for none left",
                  "events[1].offer: no offer 'salon-films' on this site; did you mean "
                  "'salon-film'?",
                  "books[0].offer: no offer 'book-self-managment' on this site; did you mean "
                  "'book-self-management'?"));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

class BrandPluginTest : public testing::PluginInstanceTest {
 protected:
  BrandPluginTest() : PluginInstanceTest("her-growth") {}
};

TEST_F(BrandPluginTest, ShippedDemoSiteLoadsWithoutProblemsAndServesItsPages) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), ::testing::Not(HasSubstr("brand.")));  // no offer problems
  const auto home = get(*instance, "/");
  ASSERT_EQ(home.status, 200) << log_.str();
  EXPECT_THAT(home.body, HasSubstr("我们的价值观"));  // the Chinese catalogue
  EXPECT_THAT(home.body, HasSubstr("同频:和有追求的姐妹一起成长"));
  const auto rewards = get(*instance, "/rewards");
  ASSERT_EQ(rewards.status, 200);
  EXPECT_THAT(rewards.body, HasSubstr("她成长定制手账本"));
  EXPECT_THAT(rewards.body, HasSubstr("剩余: 100"));
  EXPECT_THAT(rewards.body, ::testing::Not(HasSubstr("/rewards/notebook/redeem")));  // a visitor
  EXPECT_THAT(rewards.body, HasSubstr("/login?next=/rewards"));
  const auto events = get(*instance, "/events");
  ASSERT_EQ(events.status, 200);
  EXPECT_THAT(events.body, HasSubstr("她成长巡回演讲 · 上海站"));
  EXPECT_THAT(events.body, HasSubstr("剩余名额: 200"));
  EXPECT_THAT(events.body, HasSubstr("《她的自我管理课》"));
  EXPECT_THAT(events.body, HasSubstr("库存: 300"));
  EXPECT_EQ(get(*instance, "/points").status, 303);  // a visitor logs in first
  EXPECT_EQ(get(*instance, "/api/points").status, 401);
  EXPECT_EQ(get(*instance, "/join").status, 303);
}

TEST_F(BrandPluginTest, MisspeltKeyInTheSectionIsReportedWithItsPosition) {
  write_site(shipped_with("      cost: 60", "      cots: 60"));
  auto instance = load();
  const auto lines = problems(*instance);
  EXPECT_THAT(lines, ::testing::Contains(::testing::MatchesRegex(
                         ".*her-growth\\.yaml:[0-9]+:7: brand\\.rewards\\[1\\]\\.cots: "
                         "unknown key 'cots'; did you mean 'cost'\\?")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines,
              ::testing::Contains(HasSubstr("brand.rewards[1].cost: missing required key 'cost'")));
}

TEST_F(BrandPluginTest, WrongTypeInTheSectionIsReportedWithItsPosition) {
  const std::string yaml = shipped_with("    checkin: 5 ", "    checkin: five ");
  write_site(yaml);
  auto instance = load();
  // The line of `checkin:` in the file, counted here so the expectation can fail on a wrong line.
  const auto at = yaml.find("    checkin: five");
  const int line = static_cast<int>(std::count(yaml.begin(), yaml.begin() + at, '\n')) + 1;
  EXPECT_THAT(problems(*instance),
              ::testing::Contains(HasSubstr("her-growth.yaml:" + std::to_string(line) +
                                            ":14: brand.points.checkin: expected an integer")))
      << ::testing::PrintToString(problems(*instance));
}

// What the schema cannot see (a points rule or event naming an offer the site does not sell, a
// reward costing no points) is the plugin's section check: file:line:col errors at the key, with
// a did-you-mean, and the site is not served until the YAML is fixed.
TEST_F(BrandPluginTest, OfferAndRewardMistakesAreReportedAtTheirKeysAndTheSiteIsNotServed) {
  std::string yaml = shipped_with("    - offer: salon-film", "    - offer: salon-films");
  yaml.replace(yaml.find("      - offer: membership"), 25, "      - offer: membershp");
  yaml.replace(yaml.find("      cost: 60"), 14, "      cost: 0");
  write_site(yaml);
  auto instance = load();
  auto at = [&](const std::string& text, int column) {
    return "her-growth.yaml:" + std::to_string(line_of(yaml, text)) + ":" + std::to_string(column) +
           ": ";
  };
  EXPECT_THAT(problems(*instance),
              ElementsAre(HasSubstr(at("offer: membershp", 16) +
                                    "brand.points.offers[0].offer: no offer 'membershp' on this "
                                    "site; did you mean 'membership'?"),
                          HasSubstr(at("cost: 0", 13) +
                                    "brand.rewards[1].cost: a reward must cost at least 1 point"),
                          HasSubstr(at("offer: salon-films", 14) +
                                    "brand.events[1].offer: no offer 'salon-films' on this site; "
                                    "did you mean 'salon-film'?")));
  EXPECT_TRUE(instance->site_configs().empty());
}

}  // namespace
}  // namespace tribe::brand
