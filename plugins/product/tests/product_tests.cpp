// The product plugin's rules (pre-orders, early access, city events, invitation codes, what the
// section check finds), and the plugin loaded from its .so into a real kernel instance: its YAML
// section checked with file:line:col, the shipped demo site served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../catalogue.hpp"
#include "../club_events.hpp"
#include "../section_check.hpp"
#include "../seed_programme.hpp"
#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::product {
namespace {

using testing::line_of;
using testing::shown;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// --- the catalogue ----------------------------------------------------------------------------

TEST(Catalogue, PreorderUntilItsShipDayAndThenAnOrdinaryProduct) {
  const Product stroller{"stroller", "2027-01-15", "", ""};
  EXPECT_TRUE(is_preorder(stroller, "2026-11-24"));
  EXPECT_TRUE(is_preorder(stroller, "2027-01-14"));
  EXPECT_FALSE(is_preorder(stroller, "2027-01-15"));  // ships that day
  EXPECT_FALSE(is_preorder(stroller, "2027-02-01"));
  EXPECT_FALSE(is_preorder(Product{"diapers", "", "", ""}, "2026-11-24"));
}

TEST(Catalogue, EarlyAccessOpensToSeedUsersOnlyUntilItsDay) {
  const Product bottle{"bottle", "", "2026-12-20", ""};
  EXPECT_TRUE(in_early_access(bottle, "2026-12-19"));
  EXPECT_FALSE(open_to(bottle, "2026-12-19", false));
  EXPECT_TRUE(open_to(bottle, "2026-12-19", true));
  EXPECT_FALSE(in_early_access(bottle, "2026-12-20"));  // open to everyone from its day
  EXPECT_TRUE(open_to(bottle, "2026-12-20", false));
  EXPECT_TRUE(open_to(Product{"diapers", "", "", ""}, "2026-01-01", false));
}

TEST(Catalogue, ProductsComeFromTheSectionInOrderAndAreFoundByOffer) {
  const auto products = products_from(sdk::Json::parse(R"([
    {"offer": "a", "details": "da"},
    {"offer": "b", "ships": "2027-01-15", "early_access_until": "2026-12-20"}])"));
  ASSERT_EQ(products.size(), 2u);
  EXPECT_EQ(products[0].offer, "a");
  EXPECT_EQ(products[0].details, "da");
  EXPECT_EQ(products[0].ships, "");
  EXPECT_EQ(products[1].ships, "2027-01-15");
  EXPECT_EQ(products[1].early_access_until, "2026-12-20");
  ASSERT_TRUE(find_product(products, "b").has_value());
  EXPECT_FALSE(find_product(products, "c").has_value());
  EXPECT_TRUE(products_from(sdk::Json()).empty());
}

TEST(Catalogue, DaysAreRealDatesWrittenYyyyMmDd) {
  EXPECT_TRUE(is_day("2027-01-15"));
  EXPECT_TRUE(is_day("2028-02-29"));
  EXPECT_FALSE(is_day("2027-02-29"));
  EXPECT_FALSE(is_day("2027-1-15"));
  EXPECT_FALSE(is_day("2027/01/15"));
  EXPECT_FALSE(is_day("15.01.2027"));
  EXPECT_FALSE(is_day(""));
}

TEST(Catalogue, StockLeftIsShownForLimitedOffersOnly) {
  EXPECT_EQ(stock_json(3)["stock_left"], 3);
  EXPECT_EQ(stock_json(3)["sold_out"], false);
  EXPECT_EQ(stock_json(0)["sold_out"], true);
  EXPECT_EQ(stock_json(0)["limited"], true);
  EXPECT_TRUE(stock_json(std::nullopt)["stock_left"].is_null());
  EXPECT_EQ(stock_json(std::nullopt)["limited"], false);
}

// --- city club events -------------------------------------------------------------------------

std::vector<ClubEvent> some_events() {
  return {{"sh-2", "上海", "2027-04-17", "t-sh-2", "Picnic", "", ""},
          {"bj-1", "北京", "2027-01-16", "t-bj-1", "Swim", "", ""},
          {"sh-1", "上海", "2027-01-09", "t-sh-1", "Salon", "Xuhui", ""},
          {"gz-1", "广州", "2026-10-01", "t-gz-1", "Talk", "", ""}};
}

TEST(ClubEvents, GroupedByCityInFirstAppearanceAndByDateWithin) {
  const sdk::Json groups = events_by_city(some_events(), {}, "2026-11-24");
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0]["city"], "上海");
  EXPECT_EQ(groups[1]["city"], "北京");
  EXPECT_EQ(groups[2]["city"], "广州");
  ASSERT_EQ(groups[0]["events"].size(), 2u);
  EXPECT_EQ(groups[0]["events"][0]["id"], "sh-1");  // January before April
  EXPECT_EQ(groups[0]["events"][1]["id"], "sh-2");
  EXPECT_EQ(groups[0]["events"][0]["venue"], "Xuhui");
}

TEST(ClubEvents, OneCityOnlyWhenAsked) {
  const sdk::Json groups = events_by_city(some_events(), {}, "2026-11-24", "北京");
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["city"], "北京");
  ASSERT_EQ(groups[0]["events"].size(), 1u);
  EXPECT_TRUE(events_by_city(some_events(), {}, "2026-11-24", "深圳").empty());
}

TEST(ClubEvents, SoldOutAndPastEventsAreNotOpen) {
  const std::map<std::string, std::int64_t> tickets = {{"t-sh-1", 0}, {"t-sh-2", 5}};
  const sdk::Json groups = events_by_city(some_events(), tickets, "2026-11-24");
  const sdk::Json& shanghai = groups[0]["events"];
  EXPECT_EQ(shanghai[0]["sold_out"], true);
  EXPECT_EQ(shanghai[0]["open"], false);
  EXPECT_EQ(shanghai[0]["tickets_left"], 0);
  EXPECT_EQ(shanghai[1]["open"], true);
  EXPECT_EQ(shanghai[1]["tickets_left"], 5);
  EXPECT_TRUE(groups[1]["events"][0]["tickets_left"].is_null());  // unlimited
  EXPECT_EQ(groups[1]["events"][0]["open"], true);
  EXPECT_EQ(groups[2]["events"][0]["past"], true);  // October 2026 is over
  EXPECT_EQ(groups[2]["events"][0]["open"], false);
  const ClubEvent salon = some_events()[2];
  EXPECT_TRUE(on_sale(salon, "2027-01-09"));  // sold on its own day
  EXPECT_FALSE(on_sale(salon, "2027-01-10"));
}

// --- the seed-user programme ------------------------------------------------------------------

TEST(SeedProgramme, CodesMatchRegardlessOfCaseAndSpacesButNotOtherwise) {
  const std::vector<std::string> codes = {"SEED-MAMA-001", "SEED-MAMA-002"};
  EXPECT_EQ(match_code("SEED-MAMA-002", codes), "SEED-MAMA-002");
  EXPECT_EQ(match_code("  seed-mama-001 ", codes), "SEED-MAMA-001");
  EXPECT_EQ(match_code("SEED-MAMA-003", codes), "");
  EXPECT_EQ(match_code("SEED-MAMA-00", codes), "");
  EXPECT_EQ(match_code("", codes), "");
  EXPECT_EQ(match_code("   ", {"   "}), "");  // a blank code never matches
}

TEST(SeedProgramme, EmailsAreKeptInLowerCaseAndRefusedWhenTheyAreNoAddress) {
  EXPECT_EQ(normalized_email(" Mama@Example.COM "), "mama@example.com");
  EXPECT_EQ(normalized_email("mama.example.com"), "");
  EXPECT_EQ(normalized_email("@example.com"), "");
  EXPECT_EQ(normalized_email("mama@"), "");
  EXPECT_EQ(normalized_email("ma ma@example.com"), "");
  EXPECT_EQ(normalized_email("a@b@c"), "");
  EXPECT_EQ(characters("宝妈好物"), 4u);
}

// --- the section check ------------------------------------------------------------------------

sdk::Offer offer(const std::string& id) {
  sdk::Offer made;
  made.id = id;
  return made;
}

std::vector<sdk::Offer> circle_offers() {
  return {offer("stroller"), offer("bottle"), offer("ticket-salon")};
}

sdk::Json circle_section() {
  return sdk::Json::parse(R"({
    "products": [{"offer": "stroller", "ships": "2027-01-15"},
                 {"offer": "bottle", "early_access_until": "2026-12-20"}],
    "events": [{"id": "salon", "city": "上海", "date": "2027-01-09", "offer": "ticket-salon",
                "title": "Salon"}]})");
}

TEST(ProductSectionCheck, AConsistentSectionHasNoProblems) {
  EXPECT_THAT(section_problems(circle_section(), circle_offers()), ::testing::IsEmpty());
  EXPECT_THAT(section_problems(sdk::Json::object(), {}), ::testing::IsEmpty());
}

TEST(ProductSectionCheck, UnknownOffersAndDatesThatAreNoDaysAreEachNamedByTheirPath) {
  sdk::Json section = circle_section();
  section["products"][0]["ships"] = "2027-1-15";
  section["products"][1]["offer"] = "botle";
  section["products"][1]["early_access_until"] = "2027-02-30";
  section["events"][0]["offer"] = "ticket-salom";
  section["events"][0]["date"] = "next Saturday";
  EXPECT_THAT(
      shown(section_problems(section, circle_offers())),
      ElementsAre("products[0].ships: '2027-1-15' is not a day; write YYYY-MM-DD, e.g. 2027-01-15",
                  "products[1].offer: no offer 'botle' on this site; did you mean 'bottle'?",
                  "products[1].early_access_until: '2027-02-30' is not a day; write YYYY-MM-DD, "
                  "e.g. 2027-01-15",
                  "events[0].offer: no offer 'ticket-salom' on this site; did you mean "
                  "'ticket-salon'?",
                  "events[0].date: 'next Saturday' is not a day; write YYYY-MM-DD, e.g. "
                  "2027-01-15"));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

class ProductPluginTest : public testing::PluginInstanceTest {
 protected:
  ProductPluginTest() : PluginInstanceTest("baby-circle") {}

  sdk::Response get(kernel::instance::Instance& instance, const std::string& path) {
    sdk::Request request;
    request.path = path;
    if (const auto question = path.find('?'); question != std::string::npos) {
      request.path = path.substr(0, question);
      const std::string query = path.substr(question + 1);
      const auto equals = query.find('=');
      request.query[query.substr(0, equals)] = query.substr(equals + 1);
    }
    request.request_id = "test-request";
    return instance.handle(request, "baby-circle.localhost");
  }
};

TEST_F(ProductPluginTest, ShippedDemoSiteLoadsWithoutProblemsAndShowsItsCatalogueAndEvents) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), Not(HasSubstr("product.events")));  // every ticket has a capacity
  const auto home = get(*instance, "/");
  ASSERT_EQ(home.status, 200) << log_.str();
  EXPECT_THAT(home.body, HasSubstr("新手妈妈试用装"));
  EXPECT_THAT(home.body, HasSubstr("39.00 CNY"));
  EXPECT_THAT(home.body, HasSubstr("库存: 1000"));  // the Chinese catalogue, the stock left
  EXPECT_THAT(home.body, HasSubstr("同城妈妈俱乐部活动"));
  const auto products = get(*instance, "/api/products");
  ASSERT_EQ(products.status, 200);
  const sdk::Json listing = sdk::Json::parse(products.body);
  ASSERT_EQ(listing["products"].size(), 4u);
  EXPECT_EQ(listing["products"][2]["id"], "stroller");
  EXPECT_EQ(listing["products"][2]["ships"], "2027-01-15");
  EXPECT_EQ(listing["products"][2]["stock_left"], 50);
  EXPECT_EQ(listing["seed_user"], false);
  const auto trial = get(*instance, "/products/trial-pack");  // open to visitors
  EXPECT_EQ(trial.status, 200);
  EXPECT_THAT(trial.body, HasSubstr("第一次来?先领一份试用装"));
  EXPECT_THAT(trial.body, HasSubstr("登录后购买"));
  EXPECT_THAT(trial.body, Not(HasSubstr("/products/trial-pack/buy")));
  EXPECT_EQ(get(*instance, "/products/nothing").status, 404);
  EXPECT_EQ(get(*instance, "/products/partner").status, 404);  // an offer, not in the catalogue
  const auto events = get(*instance, "/api/events");
  ASSERT_EQ(events.status, 200);
  const sdk::Json groups = sdk::Json::parse(events.body)["groups"];
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0]["city"], "上海");
  EXPECT_EQ(groups[0]["events"].size(), 2u);
  EXPECT_EQ(groups[0]["events"][0]["tickets_left"], 30);
  const auto beijing = get(*instance, "/api/events?city=北京");
  EXPECT_EQ(sdk::Json::parse(beijing.body)["groups"].size(), 1u);
  const auto page = get(*instance, "/events");
  EXPECT_THAT(page.body, HasSubstr("宝宝游泳体验课"));
  EXPECT_THAT(page.body, HasSubstr("?city=%E5%8C%97%E4%BA%AC"));  // 北京, escaped
  EXPECT_EQ(get(*instance, "/seed").status, 303);
  EXPECT_EQ(get(*instance, "/api/seed").status, 401);
}

TEST_F(ProductPluginTest, MisspeltKeyInTheSectionIsReportedWithItsPosition) {
  const std::string yaml =
      shipped_with("      early_access_until: 2026-12-20", "      early_acess_until: 2026-12-20");
  write_site(yaml);
  auto instance = load();
  const int line = line_of(yaml, "early_acess_until");
  EXPECT_THAT(problems(*instance),
              ::testing::Contains(HasSubstr(
                  "baby-circle.yaml:" + std::to_string(line) +
                  ":7: product.products[3].early_acess_until: unknown key 'early_acess_until'; "
                  "did you mean 'early_access_until'?")))
      << ::testing::PrintToString(problems(*instance));
}

TEST_F(ProductPluginTest, MissingRequiredKeyAndWrongTypeAreReportedWithTheirPositions) {
  std::string yaml = shipped_with("      city: 北京\n", "");
  const auto at = yaml.find("  seed_invitations: [");
  ASSERT_NE(at, std::string::npos);
  const auto end = yaml.find("\n  events:", at);
  yaml.replace(at, end - at, "  seed_invitations: SEED-MAMA-001");
  write_site(yaml);
  auto instance = load();
  const auto lines = problems(*instance);
  EXPECT_THAT(lines,
              ::testing::Contains(HasSubstr("product.events[2].city: missing required key 'city'")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines,
              ::testing::Contains(HasSubstr(
                  "baby-circle.yaml:" + std::to_string(line_of(yaml, "  seed_invitations:")) +
                  ":21: product.seed_invitations: expected a list")))
      << ::testing::PrintToString(lines);
}

// What the schema cannot see (an event naming an offer the site does not sell, a ship date that
// is not a day) is the plugin's section check: file:line:col errors at the key, with a
// did-you-mean, and the site is not served until the YAML is fixed.
TEST_F(ProductPluginTest, OfferAndDateMistakesAreReportedAtTheirKeysAndTheSiteIsNotServed) {
  std::string yaml =
      shipped_with("      offer: ticket-beijing-swim", "      offer: ticket-beijing-swin");
  const auto at = yaml.find("      ships: 2027-01-15");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 23, "      ships: 2027-1-15");
  write_site(yaml);
  auto instance = load();
  EXPECT_THAT(
      problems(*instance),
      ElementsAre(
          HasSubstr("baby-circle.yaml:" + std::to_string(line_of(yaml, "ships: 2027-1-15")) +
                    ":14: product.products[2].ships: '2027-1-15' is not a day; write "
                    "YYYY-MM-DD, e.g. 2027-01-15"),
          HasSubstr(
              "baby-circle.yaml:" + std::to_string(line_of(yaml, "offer: ticket-beijing-swin")) +
              ":14: product.events[2].offer: no offer 'ticket-beijing-swin' on "
              "this site; did you mean 'ticket-beijing-swim'?")))
      << log_.str();
  EXPECT_TRUE(instance->site_configs().empty());
}

// A ticket offer without a capacity is no mistake of the section (an event may take everyone who
// comes): the site is served and the start only warns that it could oversell the room.
TEST_F(ProductPluginTest, TicketOfferWithoutACapacityIsOnlyAWarningAtStart) {
  write_site(shipped_with("    capacity: 30\n    grants: [ticket.shanghai-salon]",
                          "    grants: [ticket.shanghai-salon]"));
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  EXPECT_EQ(instance->site_configs().size(), 1u);
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), HasSubstr("product.events: event 'shanghai-salon': its offer "
                                    "'ticket-shanghai-salon' has no capacity, so it could sell "
                                    "more tickets than the room holds"));
  EXPECT_THAT(log_.str(), Not(HasSubstr("'shanghai-picnic'")));
  EXPECT_EQ(get(*instance, "/events").status, 200);
}

}  // namespace
}  // namespace tribe::product
