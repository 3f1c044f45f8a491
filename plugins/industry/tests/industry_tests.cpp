// The industry plugin's rules (who may apply, how an admin decides, how the board ranks posts for
// a member), and the plugin loaded from its .so into a real kernel instance: its YAML section
// checked with file:line:col, the shipped demo site served.
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

namespace tribe::industry {
namespace {

using testing::line_of;
using testing::shown;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// --- applications -----------------------------------------------------------------------------

TEST(Verification, OnlyNewOrRejectedMembersMayApply) {
  EXPECT_TRUE(may_apply(""));
  EXPECT_TRUE(may_apply("rejected"));
  EXPECT_FALSE(may_apply("pending"));
  EXPECT_FALSE(may_apply("approved"));
}

TEST(Verification, AdminDecidesPendingOnlyAndARejectionNeedsAReason) {
  EXPECT_EQ(decide("pending", "approve", ""), "approved");
  EXPECT_EQ(decide("pending", "reject", "no proof"), "rejected");
  EXPECT_EQ(decide("pending", "reject", ""), std::nullopt);
  EXPECT_EQ(decide("pending", "maybe", "x"), std::nullopt);
  EXPECT_EQ(decide("approved", "reject", "changed my mind"), std::nullopt);
  EXPECT_EQ(decide("rejected", "approve", ""), std::nullopt);
  EXPECT_EQ(decide("", "approve", ""), std::nullopt);
}

TEST(Verification, VerifiedIsTheExactTag) {
  EXPECT_TRUE(is_verified({"city:上海", "verified"}));
  EXPECT_FALSE(is_verified({"city:上海", "role:verified"}));
  EXPECT_FALSE(is_verified({}));
}

// --- the board --------------------------------------------------------------------------------

TEST(JobBoard, KindsAndTagValues) {
  EXPECT_TRUE(valid_kind("job"));
  EXPECT_TRUE(valid_kind("resource"));
  EXPECT_FALSE(valid_kind("event"));
  EXPECT_FALSE(valid_kind(""));
  EXPECT_TRUE(valid_tag_value("上海"));
  EXPECT_FALSE(valid_tag_value(""));
  EXPECT_FALSE(valid_tag_value("上 海"));
  EXPECT_FALSE(valid_tag_value("a,b"));
  EXPECT_FALSE(valid_tag_value("city:x"));
  EXPECT_FALSE(valid_tag_value(std::string(65, 'a')));
  EXPECT_TRUE(valid_tag_value(std::string(64, 'a')));
}

TEST(JobBoard, PostTagsNameOnlyWhatThePostSays) {
  EXPECT_THAT(post_tags({"1", "job", "t", "上海", "公关", "x"}),
              ElementsAre("city:上海", "role:公关"));
  EXPECT_THAT(post_tags({"1", "job", "t", "", "公关", "x"}), ElementsAre("role:公关"));
  EXPECT_TRUE(post_tags({"1", "job", "t", "", "", "x"}).empty());
}

TEST(JobBoard, MatchingRanksPostsSharingMoreTagsFirstThenTheNewest) {
  const std::vector<BoardPost> posts = {
      {"a", "job", "北京公关", "北京", "公关", "2027-01-03T00:00:00Z"},
      {"b", "job", "上海媒介", "上海", "媒介", "2027-01-01T00:00:00Z"},
      {"c", "resource", "上海公关", "上海", "公关", "2027-01-02T00:00:00Z"},
      {"d", "job", "深圳创意", "深圳", "创意", "2027-01-04T00:00:00Z"},
      {"e", "job", "上海无岗位", "上海", "", "2027-01-05T00:00:00Z"},
  };
  const std::vector<std::string> mine = {"city:上海", "role:公关", "verified"};
  EXPECT_EQ(shared_tags(posts[2], mine), 2);
  EXPECT_EQ(shared_tags(posts[3], mine), 0);
  std::vector<std::string> order;
  for (const auto& post : rank_posts(posts, mine)) order.push_back(post.id);
  // c shares both; then e, a, b share one each (newest first); d shares none.
  EXPECT_THAT(order, ElementsAre("c", "e", "a", "b", "d"));
  // Without tags the board is simply newest first.
  order.clear();
  for (const auto& post : rank_posts(posts, {})) order.push_back(post.id);
  EXPECT_THAT(order, ElementsAre("e", "d", "a", "c", "b"));
}

TEST(IndustryText, CharactersCountUtf8) {
  EXPECT_EQ(characters("公关abc"), 5u);
  EXPECT_EQ(characters(""), 0u);
}

// --- the section check ------------------------------------------------------------------------

std::vector<sdk::Offer> club_offers() {
  std::vector<sdk::Offer> offers;
  for (const char* id :
       {"entry", "class-crisis-2027-01", "class-media-2027-02", "training-brand"}) {
    offers.emplace_back().id = id;
  }
  return offers;
}

sdk::Json club_section() {
  return sdk::Json::parse(R"({
    "classes": [{"id": "crisis-2027-01", "title": "C", "offer": "class-crisis-2027-01"},
                {"id": "media-2027-02", "title": "M", "offer": "class-media-2027-02"}],
    "training": ["training-brand"]})");
}

TEST(IndustrySectionCheck, AConsistentSectionHasNoProblems) {
  EXPECT_THAT(shown(section_problems(club_section(), club_offers())), ::testing::IsEmpty());
  sdk::Json named = club_section();
  named["entry_offer"] = "training-brand";
  std::vector<sdk::Offer> offers = club_offers();
  offers.erase(offers.begin());  // no offer `entry`
  EXPECT_THAT(shown(section_problems(named, offers)), ::testing::IsEmpty());
  EXPECT_THAT(shown(section_problems(sdk::Json::object(), club_offers())), ::testing::IsEmpty());
}

TEST(IndustrySectionCheck, UnknownEntryClassAndTrainingOffersAreEachNamedByTheirPath) {
  sdk::Json bad = club_section();
  bad["entry_offer"] = "entyr";
  bad["classes"][1]["offer"] = "class-media-2027-2";
  bad["training"].push_back("coaching");
  EXPECT_THAT(shown(section_problems(bad, club_offers())),
              ElementsAre("entry_offer: no offer 'entyr' on this site; did you mean 'entry'?",
                          "classes[1].offer: no offer 'class-media-2027-2' on this site; did you "
                          "mean 'class-media-2027-02'?",
                          "training[1]: no offer 'coaching' on this site"));
  std::vector<sdk::Offer> offers = club_offers();
  offers.erase(offers.begin());  // no offer `entry`
  EXPECT_THAT(shown(section_problems(club_section(), offers)),
              ElementsAre("entry_offer: no offer 'entry' on this site (entry_offer is not given "
                          "and defaults to it)"));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

class IndustryPluginTest : public testing::PluginInstanceTest {
 protected:
  IndustryPluginTest() : PluginInstanceTest("pr-club") {}
};

TEST_F(IndustryPluginTest, ShippedDemoSiteLoadsWithoutProblemsAndAVisitorSeesTheClub) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), Not(HasSubstr("industry.")));  // no offer problems logged
  const auto home = get(*instance, "/");
  ASSERT_EQ(home.status, 200) << log_.str();
  EXPECT_THAT(home.body, HasSubstr("危机公关实战课"));
  EXPECT_THAT(home.body, HasSubstr("299.00 CNY"));
  EXPECT_THAT(home.body, HasSubstr("招聘与资源对接"));  // the Chinese catalogue
  const auto club = get(*instance, "/api/club");
  ASSERT_EQ(club.status, 200);
  const sdk::Json data = sdk::Json::parse(club.body);
  EXPECT_EQ(data["entry"]["price"], "999.00 CNY");
  EXPECT_EQ(data["classes"].size(), 2u);
  EXPECT_EQ(data["classes"][0]["seats_left"], 40);
  EXPECT_EQ(data["training"][0]["id"], "training-brand");
  EXPECT_EQ(get(*instance, "/board").status, 200);
  EXPECT_EQ(get(*instance, "/apply").status, 303);  // a visitor logs in first
  EXPECT_EQ(get(*instance, "/join").status, 303);
  EXPECT_EQ(get(*instance, "/api/application").status, 401);
  EXPECT_EQ(get(*instance, "/api/admin/applications").status, 401);
  EXPECT_EQ(get(*instance, "/api/board/mine").status, 401);
}

TEST_F(IndustryPluginTest, MisspeltKeyInTheSectionIsReportedWithItsPosition) {
  write_site(shipped_with("      teacher: 五位资深媒体人", "      teachr: 五位资深媒体人"));
  auto instance = load();
  const auto lines = problems(*instance);
  EXPECT_THAT(lines, ::testing::Contains(::testing::MatchesRegex(
                         ".*pr-club\\.yaml:[0-9]+:7: industry\\.classes\\[1\\]\\.teachr: "
                         "unknown key 'teachr'; did you mean 'teacher'\\?")))
      << ::testing::PrintToString(lines);
}

TEST_F(IndustryPluginTest, MissingRequiredKeyAndWrongTypeAreReportedWithTheirPosition) {
  std::string yaml = shipped_with("  training: [training-brand]", "  training: training-brand");
  const auto offer_at = yaml.find("      offer: class-crisis-2027-01\n");
  ASSERT_NE(offer_at, std::string::npos);
  yaml.erase(offer_at, std::string("      offer: class-crisis-2027-01\n").size());
  write_site(yaml);
  auto instance = load();
  const auto at = yaml.find("  training: training-brand");
  const int line = static_cast<int>(std::count(yaml.begin(), yaml.begin() + at, '\n')) + 1;
  const auto lines = problems(*instance);
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr("pr-club.yaml:" + std::to_string(line) +
                                                   ":13: industry.training: expected a list")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines, ::testing::Contains(
                         HasSubstr("industry.classes[0].offer: missing required key 'offer'")))
      << ::testing::PrintToString(lines);
}

// What the schema cannot see (a class or a training naming an offer the site does not sell) is the
// plugin's section check: file:line:col errors at the key, with a did-you-mean, and the site is not
// served until the YAML is fixed.
TEST_F(IndustryPluginTest, UnknownOffersAreReportedAtTheirKeysAndTheSiteIsNotServed) {
  std::string yaml =
      shipped_with("      offer: class-media-2027-02", "      offer: class-media-2027-2");
  yaml.replace(yaml.find("  training: [training-brand]"), 28,
               "  training: [training-brand, training-gone]");
  write_site(yaml);
  auto instance = load();
  auto at = [&](const std::string& text, int column) {
    return "pr-club.yaml:" + std::to_string(line_of(yaml, text)) + ":" + std::to_string(column) +
           ": ";
  };
  EXPECT_THAT(problems(*instance),
              ElementsAre(HasSubstr(at("offer: class-media-2027-2\n", 14) +
                                    "industry.classes[1].offer: no offer 'class-media-2027-2' on "
                                    "this site; did you mean 'class-media-2027-02'?"),
                          HasSubstr(at("  training: [training-brand, training-gone]", 30) +
                                    "industry.training[1]: no offer 'training-gone' on this "
                                    "site")));
  EXPECT_TRUE(instance->site_configs().empty());
}

// Advice rather than a mistake: a class offer without a capacity sells unlimited seats; the site
// is served and the advice logged when it starts.
TEST_F(IndustryPluginTest, ClassOfferWithoutSeatsIsServedAndLoggedAsAdvice) {
  write_site(shipped_with("    capacity: 30\n", ""));
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  EXPECT_FALSE(instance->site_configs().empty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), HasSubstr("industry.classes: the offer 'class-media-2027-02' of class "
                                    "'media-2027-02' has no capacity, so its seats are "
                                    "unlimited"));
  EXPECT_THAT(log_.str(), Not(HasSubstr("class 'crisis-2027-01'")));
  const sdk::Json club = sdk::Json::parse(get(*instance, "/api/club").body);
  ASSERT_EQ(club["classes"].size(), 2u);
  EXPECT_EQ(club["classes"][1]["limited"], false);
}

}  // namespace
}  // namespace tribe::industry
