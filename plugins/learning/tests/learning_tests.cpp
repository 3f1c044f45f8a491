// The learning plugin's rules, and the plugin loaded from its .so into a real kernel instance:
// its YAML section checked with file:line:col, the shipped demo site served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../challenge_rules.hpp"
#include "../cohort_sequence.hpp"
#include "../section_check.hpp"
#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::learning {
namespace {

using testing::line_of;
using testing::shown;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// --- check-ins counted N of M -----------------------------------------------------------------

TEST(ChallengeRule, CountsDistinctDaysInsideTheWindowOnly) {
  const ChallengeRule rule{21, 15};
  const DayNumber start = 20000;
  // The day before the window, the window's first and last day, a repeat, the day after it.
  const std::vector<DayNumber> days = {start - 1, start, start, start + 20, start + 21};
  EXPECT_EQ(rule.counted(start, days), 2);
  EXPECT_EQ(rule.counted(start, {}), 0);
}

TEST(ChallengeRule, CompletedAtExactlyTheRequiredDaysAndNotOneShort) {
  const ChallengeRule rule{21, 15};
  const DayNumber start = 20000;
  std::vector<DayNumber> days;
  for (int i = 0; i < 14; ++i) days.push_back(start + 2 * (i % 11) + (i / 11));
  ASSERT_EQ(rule.counted(start, days), 14);
  EXPECT_FALSE(rule.completed(start, days));
  days.push_back(start + 7);  // a day not checked in yet
  EXPECT_EQ(rule.counted(start, days), 15);
  EXPECT_TRUE(rule.completed(start, days));
  // Days after the window never make up for missed ones.
  EXPECT_FALSE(rule.completed(start, {start + 21, start + 22, start + 23}));
}

TEST(ChallengeRule, WindowOpensOnItsFirstDayAndIsDueTheDayAfterItsLast) {
  const ChallengeRule rule{7, 5};
  const DayNumber start = 20000;
  EXPECT_FALSE(rule.open(start, start - 1));
  EXPECT_TRUE(rule.open(start, start));
  EXPECT_TRUE(rule.open(start, start + 6));
  EXPECT_FALSE(rule.open(start, start + 7));
  EXPECT_FALSE(rule.due(start, start + 6));
  EXPECT_TRUE(rule.due(start, start + 7));
  EXPECT_EQ(rule.days_left(start, start), 7);
  EXPECT_EQ(rule.days_left(start, start + 6), 1);
  EXPECT_EQ(rule.days_left(start, start + 7), 0);
  EXPECT_EQ(rule.days_left(start, start - 3), 7);  // not begun: the whole window is ahead
}

// --- the cohort sequence ----------------------------------------------------------------------

sdk::Json three_cohorts() {
  return sdk::Json::parse(R"([
    {"id": "c1", "title": "One", "offer": "o1", "starts": "2027-01-04", "ends": "2027-01-31"},
    {"id": "c2", "title": "Two", "offer": "o2"},
    {"id": "c3", "title": "Three", "offer": "o3", "members_note": "hi"}])");
}

TEST(CohortSequence, NextIsTheFollowingEntryAndTheLastHasNone) {
  const CohortSequence sequence(three_cohorts());
  ASSERT_EQ(sequence.all().size(), 3u);
  ASSERT_NE(sequence.next_after("c1"), nullptr);
  EXPECT_EQ(sequence.next_after("c1")->id, "c2");
  EXPECT_EQ(sequence.next_after("c2")->offer, "o3");
  EXPECT_EQ(sequence.next_after("c3"), nullptr);
  EXPECT_EQ(sequence.next_after("nope"), nullptr);
  ASSERT_NE(sequence.find("c1"), nullptr);
  EXPECT_EQ(sequence.find("c1")->starts, "2027-01-04");
  EXPECT_EQ(sequence.find("c3")->members_note, "hi");
  EXPECT_EQ(sequence.find("c4"), nullptr);
  EXPECT_TRUE(CohortSequence(sdk::Json()).all().empty());
}

TEST(CohortSequence, NextIsOfferedFromDaysBeforeTheSeatsEndOn) {
  using std::chrono::days;
  const auto end = std::chrono::sys_days(std::chrono::year{2027} / 1 / 31) + std::chrono::hours(9);
  EXPECT_FALSE(offer_next_now(end, end - days(8), 7));
  EXPECT_FALSE(offer_next_now(end, end - days(7) - std::chrono::seconds(1), 7));
  EXPECT_TRUE(offer_next_now(end, end - days(7), 7));
  EXPECT_TRUE(offer_next_now(end, end + days(30), 7));  // ended: still offered
  EXPECT_FALSE(offer_next_now(std::nullopt, end, 7));   // no seat, nothing to continue
  EXPECT_TRUE(offer_next_now(end, end, 0));
}

// --- the section check ------------------------------------------------------------------------

sdk::Offer offer(const std::string& id) {
  sdk::Offer made;
  made.id = id;
  return made;
}

// A cohort offer with a term and a grant, a deposit offer, and one of neither.
std::vector<sdk::Offer> camp_offers() {
  sdk::Offer seat = offer("cohort-1");
  seat.term = "P28D";
  seat.grants = {"cohort.cohort-1"};
  sdk::Offer deposit = offer("think-21");
  deposit.holds = "deposit";
  return {seat, deposit, offer("partner")};
}

sdk::Json camp_section() {
  return sdk::Json::parse(R"({
    "cohorts": [{"id": "cohort-1", "title": "One", "offer": "cohort-1"}],
    "challenges": [{"id": "think-21", "title": "Think", "offer": "think-21", "days": 21,
                    "required": 15}]})");
}

TEST(LearningSectionCheck, AConsistentSectionHasNoProblems) {
  EXPECT_THAT(section_problems(camp_section(), camp_offers()), ::testing::IsEmpty());
  EXPECT_THAT(section_problems(sdk::Json::object(), {}), ::testing::IsEmpty());
  sdk::Json section = camp_section();
  section["challenges"][0]["required"] = 21;  // every day of the window: hard, but possible
  EXPECT_THAT(section_problems(section, camp_offers()), ::testing::IsEmpty());
}

TEST(LearningSectionCheck, UnknownOrMisshapenOffersAndUnmeetableRulesAreEachNamedByTheirPath) {
  sdk::Json section = camp_section();
  section["cohorts"][0]["offer"] = "cohort-l";
  section["cohorts"].push_back({{"id", "cohort-2"}, {"title", "Two"}, {"offer", "partner"}});
  section["challenges"][0]["offer"] = "cohort-1";
  section["challenges"][0]["required"] = 25;
  section["challenges"].push_back(
      {{"id", "t2"}, {"title", "T2"}, {"offer", "deposit"}, {"days", 0}, {"required", 0}});
  EXPECT_THAT(
      shown(section_problems(section, camp_offers())),
      ElementsAre(
          "cohorts[0].offer: no offer 'cohort-l' on this site; did you mean 'cohort-1'?",
          "cohorts[1].offer: the offer 'partner' sells no seat without a term and grants; give "
          "it e.g. term: P28D, grants: [cohort.cohort-2]",
          "challenges[0].offer: the offer 'cohort-1' does not hold a deposit; give it holds: "
          "deposit (and forfeit_to: site:<account> for the forfeits)",
          "challenges[0].required: required is 25, more than the 21 days of the window, so no "
          "one could get the deposit back; ask for at most 21",
          "challenges[1].offer: no offer 'deposit' on this site",
          "challenges[1].days: days is 0; the check-in window needs at least one day, e.g. "
          "days: 21",
          "challenges[1].required: required is 0; ask for at least one check-in day, e.g. "
          "required: 15"));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

class LearningPluginTest : public testing::PluginInstanceTest {
 protected:
  LearningPluginTest() : PluginInstanceTest("thinking-camp") {}
};

TEST_F(LearningPluginTest, ShippedDemoSiteLoadsWithoutProblemsAndServesItsCohorts) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  const auto home = get(*instance, "/");
  ASSERT_EQ(home.status, 200) << log_.str();
  EXPECT_THAT(home.body, HasSubstr("训练营期次"));  // the Chinese catalogue
  EXPECT_THAT(home.body, HasSubstr("第 1 期 · 思维入门"));
  EXPECT_THAT(home.body, HasSubstr("199.00 CNY"));
  EXPECT_THAT(home.body, HasSubstr("剩余名额: 30"));
  EXPECT_THAT(home.body, HasSubstr("21 天深度思考打卡"));
  EXPECT_LT(home.body.find("第 1 期"), home.body.find("第 2 期"));  // in sequence
  EXPECT_EQ(get(*instance, "/cohorts/cohort-1").status, 303);       // a visitor logs in first
  EXPECT_EQ(get(*instance, "/cohorts/none").status, 404);
  EXPECT_EQ(get(*instance, "/challenges/think-21").status, 200);
  EXPECT_EQ(get(*instance, "/api/learning").status, 401);
}

TEST_F(LearningPluginTest, MisspeltKeyInTheSectionIsReportedWithItsPosition) {
  write_site(shipped_with("      required: 15", "      requried: 15"));
  auto instance = load();
  const auto lines = problems(*instance);
  EXPECT_THAT(lines,
              ::testing::Contains(::testing::MatchesRegex(
                  ".*thinking-camp\\.yaml:[0-9]+:7: learning\\.challenges\\[0\\]\\.requried: "
                  "unknown key 'requried'; did you mean 'required'\\?")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr(
                         "learning.challenges[0].required: missing required key 'required'")));
}

TEST_F(LearningPluginTest, WrongTypeInTheSectionIsReportedWithItsPosition) {
  const std::string yaml = shipped_with("      days: 21", "      days: three weeks");
  write_site(yaml);
  auto instance = load();
  // The line of `days:` in the file, counted here so the expectation can fail on a wrong line.
  const auto at = yaml.find("      days: three weeks");
  const int line = static_cast<int>(std::count(yaml.begin(), yaml.begin() + at, '\n')) + 1;
  EXPECT_THAT(problems(*instance),
              ::testing::Contains(HasSubstr("thinking-camp.yaml:" + std::to_string(line) +
                                            ":13: learning.challenges[0].days: expected an "
                                            "integer")))
      << ::testing::PrintToString(problems(*instance));
}

TEST_F(LearningPluginTest, UnknownTopLevelKeyOfTheSectionIsRefused) {
  write_site(shipped_with("  offer_next_days: 7", "  offer_next_day: 7"));
  auto instance = load();
  EXPECT_THAT(problems(*instance),
              ::testing::Contains(HasSubstr("learning.offer_next_day: unknown key "
                                            "'offer_next_day'; did you mean 'offer_next_days'?")))
      << ::testing::PrintToString(problems(*instance));
}

// What the schema cannot see (a cohort naming an offer the site does not sell, a rule no one can
// meet) is the plugin's section check: file:line:col errors at the key, with a did-you-mean, and
// the site is not served until the YAML is fixed.
TEST_F(LearningPluginTest, OfferAndRuleMistakesAreReportedAtTheirKeysAndTheSiteIsNotServed) {
  std::string yaml = shipped_with("      offer: cohort-3", "      offer: cohort-33");
  const auto at = yaml.find("      required: 15");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 18, "      required: 25");
  write_site(yaml);
  auto instance = load();
  EXPECT_THAT(
      problems(*instance),
      ElementsAre(
          HasSubstr("thinking-camp.yaml:" + std::to_string(line_of(yaml, "offer: cohort-33")) +
                    ":14: learning.cohorts[2].offer: no offer 'cohort-33' on this site; did you "
                    "mean 'cohort-3'?"),
          HasSubstr("thinking-camp.yaml:" + std::to_string(line_of(yaml, "required: 25")) +
                    ":17: learning.challenges[0].required: required is 25, more than the 21 days "
                    "of the window, so no one could get the deposit back; ask for at most 21")))
      << log_.str();
  EXPECT_TRUE(instance->site_configs().empty());
}

}  // namespace
}  // namespace tribe::learning
