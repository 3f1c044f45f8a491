// The startup plugin's rules, and the plugin loaded from its .so into a real kernel instance: its
// YAML section checked with file:line:col, the shipped demo site served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../club_rules.hpp"
#include "../section_check.hpp"
#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::startup {
namespace {

using testing::line_of;
using testing::shown;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// --- applications -----------------------------------------------------------------------------

TEST(Application, OnlyANewOrRejectedMemberMayApplyAndOnlyAnApprovedOneHoldsTheTag) {
  EXPECT_TRUE(may_apply(""));
  EXPECT_TRUE(may_apply("rejected"));
  EXPECT_FALSE(may_apply("pending"));
  EXPECT_FALSE(may_apply("approved"));
  EXPECT_STREQ(kApprovedTag, "approved");  // the tag sites/founders-club.yaml requires
  EXPECT_TRUE(holds_approved_tag("approved"));
  for (const char* state : {"", "pending", "rejected"}) {
    EXPECT_FALSE(holds_approved_tag(state)) << state;
  }
}

TEST(Application, AnAdminDecidesAPendingOneAndARejectionNeedsAReason) {
  EXPECT_EQ(decide("pending", "approve", ""), "approved");
  EXPECT_EQ(decide("pending", "reject", "还没有产品"), "rejected");
  EXPECT_EQ(decide("pending", "reject", ""), std::nullopt);
  EXPECT_EQ(decide("pending", "maybe", "x"), std::nullopt);
  EXPECT_EQ(decide("approved", "reject", "changed my mind"), std::nullopt);
  EXPECT_EQ(decide("rejected", "approve", ""), std::nullopt);
  EXPECT_EQ(decide("", "approve", ""), std::nullopt);
}

// --- matching ---------------------------------------------------------------------------------

TEST(Matching, OnlyTheOtherSideAcceptsAndEitherMayDeclineBeforeThat) {
  EXPECT_EQ(next_match_state("requested", false, MatchAction::Accept), "accepted");
  EXPECT_EQ(next_match_state("requested", true, MatchAction::Accept), std::nullopt);
  EXPECT_EQ(next_match_state("requested", false, MatchAction::Decline), "declined");
  EXPECT_EQ(next_match_state("requested", true, MatchAction::Decline), "declined");
  for (const char* state : {"accepted", "declined", "paid"}) {
    EXPECT_EQ(next_match_state(state, false, MatchAction::Accept), std::nullopt) << state;
    EXPECT_EQ(next_match_state(state, true, MatchAction::Decline), std::nullopt) << state;
  }
}

TEST(Matching, TheIntroFeeIsDueOnlyOnceBothAcceptedAndContactsShowOnlyWhenPaid) {
  EXPECT_FALSE(intro_fee_due("requested"));
  EXPECT_TRUE(intro_fee_due("accepted"));
  EXPECT_FALSE(intro_fee_due("declined"));
  EXPECT_FALSE(intro_fee_due("paid"));
  EXPECT_FALSE(contacts_visible("accepted"));
  EXPECT_TRUE(contacts_visible("paid"));
  EXPECT_TRUE(sides_match("investor", "project"));
  EXPECT_TRUE(sides_match("project", "investor"));
  EXPECT_FALSE(sides_match("investor", "investor"));
  EXPECT_FALSE(sides_match("project", "mentor"));
}

TEST(Matching, ASideIsARoleAndSectorsComeFromTheSideOwnGroup) {
  EXPECT_EQ(role_tag("investor"), "role:investor");
  EXPECT_EQ(role_tag("project"), "role:founder");
  const std::vector<std::string> tags = {"approved",   "city:上海",   "focus:教育",
                                         "focus:农业", "sector:消费", "focus:"};
  EXPECT_EQ(sectors_of(tags, "investor"), (std::vector<std::string>{"农业", "教育"}));
  EXPECT_EQ(sectors_of(tags, "project"), (std::vector<std::string>{"消费"}));
  EXPECT_TRUE(sectors_of({"verified", "role:investor"}, "investor").empty());
}

TEST(Matching, SharedSectorsAreThoseBothSidesName) {
  const std::vector<std::string> investor = {"农业", "教育", "硬科技"};
  EXPECT_EQ(shared_sectors(investor, {"农业"}), (std::vector<std::string>{"农业"}));
  EXPECT_EQ(shared_sectors(investor, {"教育", "硬科技"}),
            (std::vector<std::string>{"教育", "硬科技"}));
  EXPECT_TRUE(shared_sectors(investor, {"消费"}).empty());
  EXPECT_TRUE(shared_sectors({}, {"农业"}).empty());
}

// --- crowdfunding -----------------------------------------------------------------------------

TEST(Crowdfunding, DeadlineIsADateAndPledgesAreTakenToTheEndOfIt) {
  using namespace std::chrono;
  const auto day = parse_date("2027-03-31");
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(*day, sys_days(year{2027} / 3 / 31));
  EXPECT_EQ(closes_at(*day), sys_days(year{2027} / 4 / 1));
  EXPECT_EQ(date_text(closes_at(*day) - seconds(1)), "2027-03-31");
  EXPECT_EQ(time_text(sys_days(year{2027} / 4 / 1) + hours(8) + minutes(5)),
            "2027-04-01T08:05:00Z");
  EXPECT_EQ(parse_date("2027-02-30"), std::nullopt);
  EXPECT_EQ(parse_date("31.03.2027"), std::nullopt);
  EXPECT_EQ(parse_date("2027-3-31"), std::nullopt);
  EXPECT_EQ(parse_date(""), std::nullopt);
}

TEST(Crowdfunding, AllOrNothingAtTheGoal) {
  EXPECT_EQ(outcome_for(200000, 200000), "funded");
  EXPECT_EQ(outcome_for(300000, 200000), "funded");
  EXPECT_EQ(outcome_for(199999, 200000), "refunded");
  EXPECT_EQ(outcome_for(0, 200000), "refunded");
  EXPECT_EQ(characters("智慧农场 ok"), 7u);
}

// --- the section check ------------------------------------------------------------------------

sdk::Offer offer(const std::string& id, const std::string& holds = "") {
  sdk::Offer made;
  made.id = id;
  made.holds = holds;
  return made;
}

// The offers a consistent section names.
std::vector<sdk::Offer> club_offers() {
  return {offer("membership"),           offer("intro-fee"),
          offer("roadshow-2027-03"),     offer("pledge-smart-farm", "escrow"),
          offer("training-fundraising"), offer("sponsor-roadshow-2027-03")};
}

sdk::Json club_section() {
  return sdk::Json::parse(R"({
    "events": [{"id": "roadshow-2027-03", "title": "R", "offer": "roadshow-2027-03"}],
    "projects": [{"id": "smart-farm", "title": "S", "offer": "pledge-smart-farm", "goal": 100,
                  "deadline": "2027-03-31"}],
    "training": ["training-fundraising"],
    "sponsors": ["sponsor-roadshow-2027-03"]})");
}

TEST(StartupSectionCheck, AConsistentSectionHasNoProblems) {
  EXPECT_THAT(shown(section_problems(club_section(), club_offers())), ::testing::IsEmpty());
  sdk::Json named = club_section();
  named["entry_offer"] = "training-fundraising";
  named["intro_offer"] = "roadshow-2027-03";
  std::vector<sdk::Offer> offers = club_offers();
  offers.erase(offers.begin(), offers.begin() + 2);  // no membership, no intro-fee
  EXPECT_THAT(shown(section_problems(named, offers)), ::testing::IsEmpty());
  EXPECT_THAT(
      shown(section_problems(sdk::Json::object(), {offer("membership"), offer("intro-fee")})),
      ::testing::IsEmpty());
}

TEST(StartupSectionCheck, UnknownOffersNotInEscrowAndBadDeadlinesAreEachNamedByTheirPath) {
  sdk::Json bad = club_section();
  bad["entry_offer"] = "membershp";
  bad["events"][0]["offer"] = "roadshow-2027-04";
  bad["projects"].push_back({{"id", "robot"},
                             {"title", "R"},
                             {"offer", "intro-fee"},
                             {"goal", 1},
                             {"deadline", "2027-3-31"}});
  bad["projects"][0]["deadline"] = "2027-02-30";
  bad["training"].push_back("coaching");
  bad["sponsors"][0] = "sponsor-roadshow";
  EXPECT_THAT(
      shown(section_problems(bad, club_offers())),
      ElementsAre(
          "entry_offer: no offer 'membershp' on this site; did you mean 'membership'?",
          "events[0].offer: no offer 'roadshow-2027-04' on this site; did you mean "
          "'roadshow-2027-03'?",
          "projects[0].deadline: '2027-02-30' is not a day; write it as YYYY-MM-DD, e.g. "
          "2027-03-31",
          "projects[1].offer: the offer 'intro-fee' needs holds: escrow, or the pledges would be "
          "revenue at once instead of held to the deadline",
          "projects[1].deadline: '2027-3-31' is not a day; write it as YYYY-MM-DD, e.g. "
          "2027-03-31",
          "training[1]: no offer 'coaching' on this site",
          "sponsors[0]: no offer 'sponsor-roadshow' on this site"));
}

TEST(StartupSectionCheck, TheDefaultEntryAndIntroOffersMustBeSoldToo) {
  std::vector<sdk::Offer> offers = club_offers();
  offers.erase(offers.begin(), offers.begin() + 2);  // no membership, no intro-fee
  EXPECT_THAT(shown(section_problems(club_section(), offers)),
              ElementsAre("entry_offer: no offer 'membership' on this site (entry_offer is not "
                          "given and defaults to it)",
                          "intro_offer: no offer 'intro-fee' on this site (intro_offer is not "
                          "given and defaults to it)"));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

class StartupPluginTest : public testing::PluginInstanceTest {
 protected:
  StartupPluginTest() : PluginInstanceTest("founders-club") {}
};

TEST_F(StartupPluginTest, ShippedDemoSiteLoadsWithoutProblemsAndServesTheClub) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), ::testing::Not(HasSubstr("startup.")));  // no offer problems
  const auto home = get(*instance, "/");
  ASSERT_EQ(home.status, 200) << log_.str();
  EXPECT_THAT(home.body, HasSubstr("路演与大赛"));  // the Chinese catalogue
  EXPECT_THAT(home.body, HasSubstr("春季项目路演"));
  EXPECT_THAT(home.body, HasSubstr("剩余名额: 100"));
  EXPECT_THAT(home.body, HasSubstr("0.00 CNY / 2000.00 CNY (0%)"));  // smart-farm's progress
  EXPECT_THAT(home.body, HasSubstr("融资实战训练课"));
  EXPECT_THAT(home.body, HasSubstr("冠名赞助"));
  EXPECT_LT(home.body.find("智慧农场"), home.body.find("儿童编程机器人"));  // in YAML order
  EXPECT_EQ(get(*instance, "/projects/smart-farm").status, 200);
  EXPECT_EQ(get(*instance, "/projects/none").status, 404);
  EXPECT_EQ(get(*instance, "/apply").status, 303);  // a visitor logs in first
  EXPECT_EQ(get(*instance, "/match").status, 303);
  EXPECT_EQ(get(*instance, "/api/application").status, 401);
  EXPECT_EQ(get(*instance, "/api/admin/applications").status, 401);
}

TEST_F(StartupPluginTest, MisspeltKeyInTheSectionIsReportedWithItsPosition) {
  const std::string yaml = shipped_with("      deadline: 2027-03-31", "      dedline: 2027-03-31");
  write_site(yaml);
  auto instance = load();
  const auto lines = problems(*instance);
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr(
                         "founders-club.yaml:" + std::to_string(line_of(yaml, "      dedline:")) +
                         ":7: startup.projects[0].dedline: unknown key 'dedline'; did you mean "
                         "'deadline'?")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr(
                         "startup.projects[0].deadline: missing required key 'deadline'")));
}

TEST_F(StartupPluginTest, WrongTypeInTheSectionIsReportedWithItsPosition) {
  const std::string yaml = shipped_with("      goal: 200000 ", "      goal: two thousand ");
  write_site(yaml);
  auto instance = load();
  EXPECT_THAT(problems(*instance),
              ::testing::Contains(HasSubstr(
                  "founders-club.yaml:" + std::to_string(line_of(yaml, "      goal: two")) +
                  ":13: startup.projects[0].goal: expected an integer")))
      << ::testing::PrintToString(problems(*instance));
}

TEST_F(StartupPluginTest, EventKindOutsideItsValuesIsRefused) {
  write_site(shipped_with("      kind: competition", "      kind: hackathon"));
  auto instance = load();
  EXPECT_THAT(problems(*instance),
              ::testing::Contains(
                  ::testing::AllOf(HasSubstr("startup.events[1].kind"), HasSubstr("hackathon"))))
      << ::testing::PrintToString(problems(*instance));
}

// What the schema cannot see (an offer the site does not sell, a pledge offer not in escrow, a
// deadline that is not a day) is the plugin's section check: file:line:col errors at the key, with
// a did-you-mean, and the site is not served until the YAML is fixed.
TEST_F(StartupPluginTest, OfferAndDeadlineMistakesAreReportedAtTheirKeysAndTheSiteIsNotServed) {
  std::string yaml = shipped_with("      offer: competition-2027", "      offer: competition-2099");
  yaml.replace(yaml.find("      offer: pledge-kids-robot"), 30, "      offer: intro-fee");
  yaml.replace(yaml.find("      deadline: 2027-04-30"), 26, "      deadline: 2027-4-30");
  yaml.replace(yaml.find("  training: [training-fundraising]"), 34,
               "  training: [training-fundraisng]");
  write_site(yaml);
  auto instance = load();
  auto at = [&](const std::string& text, int column) {
    return "founders-club.yaml:" + std::to_string(line_of(yaml, text)) + ":" +
           std::to_string(column) + ": ";
  };
  EXPECT_THAT(
      problems(*instance),
      ElementsAre(HasSubstr(at("offer: competition-2099", 14) +
                            "startup.events[1].offer: no offer 'competition-2099' on this site; "
                            "did you mean 'competition-2027'?"),
                  HasSubstr(at("      offer: intro-fee", 14) +
                            "startup.projects[1].offer: the offer 'intro-fee' needs holds: "
                            "escrow, or the pledges would be revenue at once"),
                  HasSubstr(at("deadline: 2027-4-30", 17) +
                            "startup.projects[1].deadline: '2027-4-30' is not a day; write it as "
                            "YYYY-MM-DD, e.g. 2027-03-31"),
                  HasSubstr(at("training: [training-fundraisng]", 14) +
                            "startup.training[0]: no offer 'training-fundraisng' on this site; "
                            "did you mean 'training-fundraising'?")));
  EXPECT_TRUE(instance->site_configs().empty());
}

// Advice rather than a mistake: an event's ticket offer without a capacity sells unlimited seats;
// the site is served and the advice logged when it starts.
TEST_F(StartupPluginTest, EventOfferWithoutACapacityIsServedAndLoggedAsAdvice) {
  write_site(shipped_with("    capacity: 100\n", ""));
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  EXPECT_FALSE(instance->site_configs().empty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), HasSubstr("startup.events: the offer 'roadshow-2027-03' of event "
                                    "'roadshow-2027-03' has no capacity, so its seats are "
                                    "unlimited"));
  EXPECT_THAT(log_.str(), ::testing::Not(HasSubstr("of event 'competition-2027'")));
  const auto home = get(*instance, "/");
  ASSERT_EQ(home.status, 200) << log_.str();
  EXPECT_THAT(home.body, HasSubstr("春季项目路演"));
}

}  // namespace
}  // namespace tribe::startup
