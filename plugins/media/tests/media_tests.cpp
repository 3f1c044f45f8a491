// The media plugin's rules (who reads a post's body, how sponsorship slots are listed, what the
// section check finds), and the plugin loaded from its .so into a real kernel instance: its YAML
// section checked with file:line:col, the shipped demo site served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../paywall.hpp"
#include "../section_check.hpp"
#include "../sponsor_slots.hpp"
#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::media {
namespace {

using testing::line_of;
using testing::shown;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// --- the paywall ------------------------------------------------------------------------------

Post paid_post() {
  return {"deep", "Deep", "KOL", "2026-11-08", "the teaser", "the body", "member"};
}

TEST(Paywall, FreePostIsReadByEveryoneAndPaidOnlyByWhoHoldsItsKey) {
  Post free_post = paid_post();
  free_post.requires_key = "";
  std::set<std::string> held;
  auto entitled = [&](const std::string& key) { return held.count(key) > 0; };
  EXPECT_TRUE(may_read(free_post, entitled));
  EXPECT_FALSE(may_read(paid_post(), entitled));
  held.insert("partner");  // another entitlement opens nothing
  EXPECT_FALSE(may_read(paid_post(), entitled));
  held.insert("member");
  EXPECT_TRUE(may_read(paid_post(), entitled));
}

TEST(Paywall, LockedPostJsonCarriesTheTeaserButNeverTheBody) {
  const sdk::Json locked = post_json(paid_post(), false);
  EXPECT_EQ(locked["teaser"], "the teaser");
  EXPECT_EQ(locked["locked"], true);
  EXPECT_EQ(locked["paid"], true);
  EXPECT_FALSE(locked.contains("body"));
  EXPECT_THAT(locked.dump(), Not(HasSubstr("the body")));
  const sdk::Json open = post_json(paid_post(), true);
  EXPECT_EQ(open["locked"], false);
  EXPECT_EQ(open["body"], "the body");
}

TEST(Paywall, PostsComeFromTheSectionInOrderAndAreFoundBySlug) {
  const auto posts = posts_from(sdk::Json::parse(R"([
    {"slug": "a", "title": "A", "teaser": "ta", "body": "ba"},
    {"slug": "b", "title": "B", "teaser": "tb", "body": "bb", "requires": "member"}])"));
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].slug, "a");
  EXPECT_EQ(posts[0].requires_key, "");
  EXPECT_EQ(posts[1].requires_key, "member");
  ASSERT_TRUE(find_post(posts, "b").has_value());
  EXPECT_EQ(find_post(posts, "b")->body, "bb");
  EXPECT_FALSE(find_post(posts, "c").has_value());
  EXPECT_TRUE(posts_from(sdk::Json()).empty());
}

// --- sponsorship slots ------------------------------------------------------------------------

TEST(SponsorSlots, StateIsBookedPendingPastOrOpen) {
  const SponsorSlot slot{"w1", "2027-01-04", "offer-w1", "Week 1"};
  const Booking paid{"Acme", "Hello", true};
  const Booking unpaid{"Acme", "Hello", false};
  EXPECT_EQ(slot_state(slot, std::nullopt, 1, "2027-01-01"), "open");
  EXPECT_EQ(slot_state(slot, std::nullopt, 1, "2027-01-04"), "open");  // its own day still sells
  EXPECT_EQ(slot_state(slot, std::nullopt, 1, "2027-01-05"), "past");
  EXPECT_EQ(slot_state(slot, std::nullopt, 0, "2027-01-01"), "pending");  // an unpaid order holds
  EXPECT_EQ(slot_state(slot, unpaid, 0, "2027-01-01"), "pending");
  EXPECT_EQ(slot_state(slot, paid, 0, "2027-01-01"), "booked");
  EXPECT_EQ(slot_state(slot, paid, 0, "2027-02-01"), "booked");  // stays booked after its day
}

TEST(SponsorSlots, ListingLabelsOnlyPaidBookingsAsSponsoredWithTheirMessage) {
  const std::vector<SponsorSlot> slots = {{"w1", "2027-01-04", "o1", "Week 1"},
                                          {"w2", "2027-01-11", "o2", "Week 2"},
                                          {"w3", "2027-01-18", "o3", ""}};
  const std::map<std::string, Booking> bookings = {{"w2", {"Acme 书店", "读好书", true}}};
  const std::map<std::string, std::int64_t> seats = {{"o1", 1}, {"o2", 0}, {"o3", 0}};
  const sdk::Json list = slot_listing(slots, bookings, seats, "2027-01-01");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["state"], "open");
  EXPECT_EQ(list[0]["open"], true);
  EXPECT_FALSE(list[0].contains("sponsored"));
  EXPECT_EQ(list[1]["state"], "booked");
  EXPECT_EQ(list[1]["sponsored"], true);
  EXPECT_EQ(list[1]["sponsor"], "Acme 书店");
  EXPECT_EQ(list[1]["message"], "读好书");
  EXPECT_EQ(list[1]["open"], false);
  EXPECT_EQ(list[2]["state"], "pending");  // held by an order not paid yet: no message shown
  EXPECT_FALSE(list[2].contains("message"));
  EXPECT_EQ(list[2]["open"], false);
}

// --- the section check ------------------------------------------------------------------------

sdk::Offer offer(const std::string& id, std::optional<std::int64_t> capacity = std::nullopt,
                 std::vector<std::string> grants = {}) {
  sdk::Offer made;
  made.id = id;
  made.capacity = capacity;
  made.grants = std::move(grants);
  return made;
}

// A membership granting "member", a capacity-1 slot offer, a book without a capacity.
std::vector<sdk::Offer> channel_offers() {
  return {offer("membership", std::nullopt, {"member"}), offer("slot-1", 1), offer("book")};
}

sdk::Json channel_section() {
  return sdk::Json::parse(R"({
    "posts": [{"slug": "free", "title": "F", "teaser": "t", "body": "b"},
              {"slug": "paid", "title": "P", "teaser": "t", "body": "b", "requires": "member"}],
    "sponsor_slots": [{"id": "w1", "date": "2027-01-04", "offer": "slot-1"}],
    "mall": ["book"]})");
}

TEST(MediaSectionCheck, AConsistentSectionHasNoProblems) {
  EXPECT_THAT(section_problems(channel_section(), channel_offers()), ::testing::IsEmpty());
  EXPECT_THAT(section_problems(sdk::Json::object(), {}), ::testing::IsEmpty());
}

TEST(MediaSectionCheck, UnknownOffersASlotThatCouldSellTwiceAndAnUngrantedPostAreNamedByPath) {
  sdk::Json section = channel_section();
  section["posts"][1]["requires"] = "membr";
  section["posts"].push_back(
      {{"slug", "vip"}, {"title", "V"}, {"teaser", "t"}, {"body", "b"}, {"requires", "vip"}});
  section["sponsor_slots"].push_back({{"id", "w2"}, {"date", "2027-01-11"}, {"offer", "slot-2"}});
  section["sponsor_slots"].push_back({{"id", "w3"}, {"date", "2027-01-18"}, {"offer", "book"}});
  section["mall"].push_back("bok");
  EXPECT_THAT(
      shown(section_problems(section, channel_offers())),
      ElementsAre("posts[1].requires: no offer granting 'membr' on this site; did you mean "
                  "'member'? (nobody could read the post's body)",
                  "posts[2].requires: no offer granting 'vip' on this site (nobody could read the "
                  "post's body)",
                  "sponsor_slots[1].offer: no offer 'slot-2' on this site; did you mean 'slot-1'?",
                  "sponsor_slots[2].offer: the offer 'book' needs capacity: 1, or the slot could "
                  "sell twice",
                  "mall[1]: no offer 'bok' on this site; did you mean 'book'?"));
  // A slot offer of two seats could sell twice as well.
  std::vector<sdk::Offer> offers = channel_offers();
  offers[1].capacity = 2;
  EXPECT_THAT(shown(section_problems(channel_section(), offers)),
              ElementsAre("sponsor_slots[0].offer: the offer 'slot-1' needs capacity: 1, or the "
                          "slot could sell twice"));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

class MediaPluginTest : public testing::PluginInstanceTest {
 protected:
  MediaPluginTest() : PluginInstanceTest("knowledge-channel") {}
};

TEST_F(MediaPluginTest, ShippedDemoSiteLoadsWithoutProblemsAndAVisitorSeesOnlyTeasers) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  const auto home = get(*instance, "/");
  ASSERT_EQ(home.status, 200) << log_.str();
  EXPECT_THAT(home.body, HasSubstr("知识付费的本质"));
  EXPECT_THAT(home.body, HasSubstr("会员专享"));  // the Chinese catalogue
  EXPECT_THAT(home.body, Not(HasSubstr("人们付费买的不是信息")));
  const auto paid = get(*instance, "/posts/knowledge-economy");
  ASSERT_EQ(paid.status, 200);
  EXPECT_THAT(paid.body, HasSubstr("答案不在内容本身"));  // the teaser
  EXPECT_THAT(paid.body, Not(HasSubstr("人们付费买的不是信息")));
  EXPECT_THAT(paid.body, HasSubstr("加入会员"));
  const auto free_post = get(*instance, "/posts/welcome");
  EXPECT_THAT(free_post.body, HasSubstr("所有人都可以读完"));
  const auto json = get(*instance, "/api/posts/knowledge-economy");
  ASSERT_EQ(json.status, 200);
  EXPECT_FALSE(sdk::Json::parse(json.body).contains("body"));
  EXPECT_EQ(get(*instance, "/posts/none").status, 404);
  EXPECT_EQ(get(*instance, "/join").status, 303);  // a visitor logs in first
  EXPECT_EQ(get(*instance, "/api/membership").status, 401);
  const auto shop = get(*instance, "/shop");
  EXPECT_THAT(shop.body, HasSubstr("68.00 CNY"));
  EXPECT_THAT(shop.body, HasSubstr("频道定制笔记本"));
  const auto sponsors = get(*instance, "/api/sponsors");
  ASSERT_EQ(sponsors.status, 200);
  EXPECT_EQ(sdk::Json::parse(sponsors.body)["slots"].size(), 3u);
}

TEST_F(MediaPluginTest, MisspeltKeyInTheSectionIsReportedWithItsPosition) {
  write_site(shipped_with("      teaser: 免费的内容很多", "      teasr: 免费的内容很多"));
  auto instance = load();
  const auto lines = problems(*instance);
  EXPECT_THAT(lines, ::testing::Contains(::testing::MatchesRegex(
                         ".*knowledge-channel\\.yaml:[0-9]+:7: media\\.posts\\[1\\]\\.teasr: "
                         "unknown key 'teasr'; did you mean 'teaser'\\?")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines, ::testing::Contains(
                         HasSubstr("media.posts[1].teaser: missing required key 'teaser'")));
}

TEST_F(MediaPluginTest, WrongTypeInTheSectionIsReportedWithItsPosition) {
  const std::string yaml = shipped_with("  mall: [book-thinking, notebook]", "  mall: notebook");
  write_site(yaml);
  auto instance = load();
  // The line of `mall:` in the file, counted here so the expectation can fail on a wrong line.
  const auto at = yaml.find("  mall: notebook");
  const int line = static_cast<int>(std::count(yaml.begin(), yaml.begin() + at, '\n')) + 1;
  EXPECT_THAT(problems(*instance),
              ::testing::Contains(HasSubstr("knowledge-channel.yaml:" + std::to_string(line) +
                                            ":9: media.mall: expected a list")))
      << ::testing::PrintToString(problems(*instance));
}

// What the schema cannot see (a slot offer that could sell twice, a mall product the site does
// not sell) is the plugin's section check: file:line:col errors at the key, with a did-you-mean,
// and the site is not served until the YAML is fixed.
TEST_F(MediaPluginTest, OfferMistakesAreReportedAtTheirKeysAndTheSiteIsNotServed) {
  std::string yaml = shipped_with("    capacity: 1\n    grants: [sponsor.2027-w02]",
                                  "    grants: [sponsor.2027-w02]");
  const auto at = yaml.find("  mall: [book-thinking, notebook]");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 33, "  mall: [book-thinking, notebok]");
  write_site(yaml);
  auto instance = load();
  EXPECT_THAT(problems(*instance),
              ElementsAre(HasSubstr("knowledge-channel.yaml:" +
                                    std::to_string(line_of(yaml, "offer: sponsor-2027-w02")) +
                                    ":14: media.sponsor_slots[1].offer: the offer "
                                    "'sponsor-2027-w02' needs capacity: 1, or the slot could "
                                    "sell twice"),
                          HasSubstr("knowledge-channel.yaml:" +
                                    std::to_string(line_of(yaml, "mall: [book-thinking")) +
                                    ":25: media.mall[1]: no offer 'notebok' on this site; did "
                                    "you mean 'notebook'?")))
      << log_.str();
  EXPECT_TRUE(instance->site_configs().empty());
}

}  // namespace
}  // namespace tribe::media
