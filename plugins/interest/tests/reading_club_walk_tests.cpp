// Acceptance walks of the reading-club demo site (sites/reading-club.yaml) over real sockets
// against a real `tribe serve`: a reader arrives by a partner's link, signs up (fan), reads the
// KOLs' pages and the sponsored post (labelled), buys the membership (member), checks in daily,
// buys a signed book from the shop, renews, becomes a partner and refers a friend who buys the
// membership too; the commissions are held, then payable after the refund window, and the funnel
// counts what the walk did. The shop's stock never oversells. Time moves by restarting
// `tribe serve` with --clock-offset on the same database. The ledger is checked after each walk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "demo_site_walk.hpp"
#include "http_client.hpp"
#include "site_walk.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::interest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HttpReply;
using testing::HttpVisitor;
using ::testing::Not;
using testing::order_state;
using ::testing::UnorderedElementsAre;

constexpr const char* kLabel = "<span class=\"label sponsored\">赞助</span>";

class ReadingClubWalk : public testing::DemoSiteWalk {
 protected:
  ReadingClubWalk() : DemoSiteWalk("reading-club") {}

  // The end of the member's active entitlement `key` on /api/account, or "".
  static std::string ends_at(HttpVisitor& browser, const std::string& key) {
    const sdk::Json account = json(browser, "/api/account");
    for (const auto& entitlement : account.value("entitlements", sdk::Json::array())) {
      if (entitlement["key"] == key && entitlement["active"] == true) return entitlement["ends_at"];
    }
    return "";
  }

  // The shop's entry for `id` on /api/shop (null when it is not there).
  static sdk::Json product(HttpVisitor& browser, const std::string& id) {
    for (const auto& item : json(browser, "/api/shop").value("products", sdk::Json::array())) {
      if (item["id"] == id) return item;
    }
    return nullptr;
  }
};

TEST_F(ReadingClubWalk, ShippedSiteValidates) {
  expect_shipped_site_validates();
}

TEST_F(ReadingClubWalk, PartnerLinkToAMemberWhoChecksInBuysABookRenewsAndRefersAFriend) {
  // Day 0. A partner of the club buys the partner programme and shares their link.
  serve(0);
  HttpVisitor partner = sign_up("partner@example.com");
  const std::string link = become_partner(partner);
  ASSERT_FALSE(link.empty());

  // A reader arrives by the link and signs up: a fan, bound to the partner.
  HttpVisitor reader = sign_up("reader@example.com", link);
  EXPECT_EQ(json(reader, "/api/me")["stage"], "fan");
  EXPECT_EQ(reader.get("/checkins").status, 403);  // check-ins are for members
  const std::string reader_id = json(reader, "/api/me")["id"];
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], ::testing::Contains(reader_id));

  // Reads the KOLs, one KOL's page and the sponsored post they wrote: labelled 赞助 each time.
  const HttpReply kols = reader.get("/kols");
  EXPECT_EQ(kols.status, 200);
  EXPECT_THAT(kols.body, HasSubstr("阿梅"));
  EXPECT_THAT(kols.body, HasSubstr("<a href=\"/kols/lao-zhou\"><strong>老周</strong></a>"));
  const HttpReply kol = reader.get("/kols/lao-zhou");
  EXPECT_EQ(kol.status, 200);
  EXPECT_THAT(kol.body, HasSubstr("<a href=\"/posts/new-book-pick\">老周荐书:《夜读的人》</a> " +
                                  std::string(kLabel)));
  const HttpReply pick = reader.get("/posts/new-book-pick");
  EXPECT_EQ(pick.status, 200);
  EXPECT_THAT(pick.body,
              HasSubstr(std::string(kLabel) + " <a href=\"https://qingteng-press" +
                        ".example/night-readers\" rel=\"sponsored noopener\">青藤出版社"));
  EXPECT_EQ(json(reader, "/api/posts/new-book-pick")["sponsor"]["label"], "赞助");
  EXPECT_THAT(reader.get("/posts/welcome").body, Not(HasSubstr(kLabel)));
  EXPECT_EQ(reader.get("/kols/nobody").status, 404);

  // Buys the membership on /join: a member, who checks in (twice the same day counts once).
  const std::string joined = pay(reader, "/join", "walk-membership-1");
  EXPECT_EQ(order_state(reader, joined), "fulfilled");
  EXPECT_EQ(json(reader, "/api/me")["stage"], "member");
  EXPECT_EQ(reader.get("/members").status, 200);
  const HttpReply too_long = reader.post_form("/checkins", {{"note", std::string(501, 'x')}});
  EXPECT_EQ(too_long.status, 400);
  EXPECT_THAT(too_long.body, HasSubstr("500"));
  EXPECT_EQ(json(reader, "/api/checkins")["total"], 0);  // refused, nothing recorded
  EXPECT_EQ(reader.post_form("/checkins", {{"note", "第一章"}}).status, 303);
  EXPECT_EQ(reader.post_form("/checkins", {{"note", "again"}}).status, 303);
  sdk::Json streak = json(reader, "/api/checkins");
  EXPECT_EQ(streak["streak"], 1);
  EXPECT_EQ(streak["total"], 1);
  EXPECT_EQ(streak["checked_in_today"], true);
  const std::string first_end = ends_at(reader, "member");
  ASSERT_FALSE(first_end.empty()) << json(reader, "/api/account").dump();
  EXPECT_THAT(commissions(partner), ElementsAre("19.90 CNY L1 held"));

  // Buys the signed book from the shop: one fewer in stock, and theirs. Books earn no commission.
  EXPECT_EQ(product(reader, "huozhe-signed")["stock"], 100);
  const std::string book = pay(reader, "/shop/huozhe-signed/buy", "walk-book");
  EXPECT_EQ(order_state(reader, book), "fulfilled");
  EXPECT_EQ(product(reader, "huozhe-signed")["stock"], 99);
  EXPECT_EQ(product(reader, "huozhe-signed")["owned"], true);
  EXPECT_EQ(product(reader, "tote-bag")["owned"], false);
  EXPECT_THAT(reader.get("/shop").body, HasSubstr("你已购买"));
  EXPECT_THAT(commissions(partner), ElementsAre("19.90 CNY L1 held"));

  // Day 1: the streak goes on; the reader renews early and the year is added to the end.
  serve(1);
  follow(reader);
  follow(partner);
  streak = json(reader, "/api/checkins");
  EXPECT_EQ(streak["checked_in_today"], false);
  EXPECT_EQ(streak["streak"], 1);
  EXPECT_EQ(reader.post_form("/checkins", {{"note", "第二章"}}).status, 303);
  streak = json(reader, "/api/checkins");
  EXPECT_EQ(streak["streak"], 2);
  EXPECT_EQ(streak["longest"], 2);
  ASSERT_EQ(streak["leaders"].size(), 1u);
  EXPECT_EQ(streak["leaders"][0]["display_name"], "reader@examp");  // sign_up's display name
  EXPECT_EQ(streak["leaders"][0]["streak"], 2);
  // Renews on the plugin's /join page (the flow kit's subscription), which shows the end date.
  const HttpReply join_page = reader.get("/join");
  EXPECT_EQ(join_page.status, 200);
  EXPECT_THAT(join_page.body, HasSubstr(first_end.substr(0, 10)));
  const std::string renewal = pay(reader, "/join", "walk-membership-2");
  EXPECT_EQ(order_state(reader, renewal), "fulfilled");
  const std::string renewed_end = ends_at(reader, "member");
  ASSERT_GE(renewed_end.size(), 4u);
  EXPECT_EQ(std::stoi(renewed_end.substr(0, 4)), std::stoi(first_end.substr(0, 4)) + 1);
  EXPECT_EQ(renewed_end.substr(4), first_end.substr(4));  // the same day and time, a year later
  EXPECT_THAT(commissions(partner), ElementsAre("19.90 CNY L1 held", "19.90 CNY L1 held"));

  // The reader becomes a partner too and refers a friend, who buys the membership.
  const std::string reader_link = become_partner(reader);
  ASSERT_FALSE(reader_link.empty());
  EXPECT_NE(reader_link, link);
  HttpVisitor friend_ = sign_up("friend@example.com", reader_link);
  const std::string friend_id = json(friend_, "/api/me")["id"];
  EXPECT_THAT(json(reader, "/api/partner")["referrals"], ::testing::Contains(friend_id));
  const std::string friends = pay(friend_, "/join", "friend-membership");
  EXPECT_EQ(order_state(friend_, friends), "fulfilled");
  EXPECT_EQ(json(friend_, "/api/me")["stage"], "member");

  // Commissions, held for the 7-day refund window: the membership pays 10% to the level-1 partner
  // and 5% to level 2. The partner earns two from the reader and one (level 2) from the friend;
  // the reader one from the friend.
  EXPECT_THAT(commissions(reader), ElementsAre("19.90 CNY L1 held"));
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("19.90 CNY L1 held", "19.90 CNY L1 held", "9.95 CNY L2 held"));
  EXPECT_TRUE(json(partner, "/api/partner")["payable"].empty());

  // Day 9: every refund window has closed; the sweep makes the commissions payable.
  serve(9);
  follow(reader);
  follow(partner);
  follow(friend_);
  await_payable(partner, 3);
  await_payable(reader, 1);
  EXPECT_THAT(
      commissions(partner),
      UnorderedElementsAre("19.90 CNY L1 payable", "19.90 CNY L1 payable", "9.95 CNY L2 payable"));
  EXPECT_THAT(commissions(reader), ElementsAre("19.90 CNY L1 payable"));
  EXPECT_THAT(json(partner, "/api/partner")["payable"].dump(), HasSubstr("49.75 CNY"));
  EXPECT_THAT(json(reader, "/api/partner")["payable"].dump(), HasSubstr("19.90 CNY"));
  // Days were missed: the streak starts again, the longest is kept.
  streak = json(reader, "/api/checkins");
  EXPECT_EQ(streak["streak"], 0);
  EXPECT_EQ(streak["longest"], 2);
  EXPECT_EQ(reader.get("/members").status, 200);

  // The funnel over the walk's days, as the site's admin reads it: four browsers came (two by
  // partner links) and signed up; three bought for the first time (the partner programme, the
  // reader's and the friend's membership); the reader bought three more times (the book, the
  // renewal, the partner programme); the referred reader's four purchases and the friend's one
  // count as referred; the ladder holds one fan (the admin), one member (the friend) and two
  // partners; the reader's check-ins of day 0 and day 1.
  HttpVisitor admin = sign_up("owner@reading-club.example");
  EXPECT_EQ(reader.get("/api/funnel").status, 403);  // not an admin
  const sdk::Json funnel =
      expect_funnel(admin, {.visits = 4,
                            .referral_arrivals = 2,
                            .sign_ups = 4,
                            .first_purchases = 3,
                            .buyers = 3,
                            .repeat_buyers = 1,
                            .repeat_purchases = 3,
                            .referred_sign_ups = 2,
                            .referred_purchases = 5,
                            .ladder = sdk::Json({{"fan", 1}, {"member", 1}, {"partner", 2}})});
  EXPECT_DOUBLE_EQ(funnel["repurchase"]["rate"].get<double>(), 1.0 / 3.0);
  EXPECT_EQ(funnel["steps"]["interest.check_ins"], 2);
  expect_ledger_checks();
}

// The signed book with a stock of 3 and 6 buyers at once: 3 orders, 3 refused as sold out, 3
// paid; the shop says sold out without a Buy button, and a late buyer is refused too.
TEST_F(ReadingClubWalk, ShopStockNeverOversells) {
  std::string yaml = site_yaml();
  const auto at = yaml.find("capacity: 100");  // the signed book
  ASSERT_NE(at, std::string::npos);
  ASSERT_GT(at, yaml.find("id: huozhe-signed"));
  ASSERT_LT(at, yaml.find("id: tote-bag"));
  yaml.replace(at, 13, "capacity: 3");
  std::ofstream(site_file()) << yaml;
  serve(0);

  std::vector<HttpVisitor> buyers;
  for (int i = 0; i < 6; ++i) buyers.push_back(sign_up("buyer" + std::to_string(i) + "@x.com"));
  EXPECT_EQ(product(buyers[0], "huozhe-signed")["stock"], 3);
  const std::vector<HttpReply> ordered = buy_at_once(buyers, "/shop/huozhe-signed/buy");
  int reserved = 0;
  int refused = 0;
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    if (ordered[i].status == 303) {
      ++reserved;
      EXPECT_EQ(buyers[i].post_form(ordered[i].location + "/pay", {}).status, 303);
      EXPECT_EQ(order_state(buyers[i], ordered[i].location.substr(10)), "fulfilled");
      EXPECT_EQ(product(buyers[i], "huozhe-signed")["owned"], true);
    } else {
      ++refused;
      EXPECT_EQ(ordered[i].status, 409) << ordered[i].body;
      EXPECT_EQ(product(buyers[i], "huozhe-signed")["owned"], false);
    }
  }
  EXPECT_EQ(reserved, 3);
  EXPECT_EQ(refused, 3);
  HttpVisitor late = sign_up("late@x.com");
  const std::string shop = late.get("/shop").body;
  EXPECT_THAT(shop, HasSubstr("已售罄"));
  EXPECT_THAT(shop, Not(HasSubstr("action=\"/shop/huozhe-signed/buy\"")));
  EXPECT_THAT(shop, HasSubstr("action=\"/shop/tote-bag/buy\""));  // the others still sell
  EXPECT_EQ(product(late, "huozhe-signed")["stock"], 0);
  EXPECT_EQ(product(late, "huozhe-signed")["sold_out"], true);
  EXPECT_EQ(late.post_form("/shop/huozhe-signed/buy", {{"idempotency_key", "late"}}).status, 409);
  // The shop sells products only: the membership is bought on /join.
  EXPECT_EQ(late.post_form("/shop/membership/buy", {{"idempotency_key", "x"}}).status, 404);
  EXPECT_EQ(balance("site:revenue"), -3 * 4500);  // three paid, none twice
  expect_ledger_checks();
}

}  // namespace
}  // namespace tribe::interest
