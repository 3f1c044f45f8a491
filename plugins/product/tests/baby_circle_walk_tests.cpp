// Acceptance walks of the baby-circle demo site (sites/baby-circle.yaml) over real sockets against
// a real `tribe serve`: a mother arrives by a partner's link, signs up, buys the trial pack on the
// sandbox checkout page, buys diapers twice, becomes a recommender herself and brings a friend who
// buys; the commissions (two levels) are held, then payable, and the funnel shows what the walk
// did. A pre-order batch and an event's tickets never oversell under concurrent buyers; an
// early-access product is refused to members who are not seed users until its day; only seed users
// leave feedback. Time moves by restarting `tribe serve` with --clock-offset on the same database.
// The ledger is checked after each walk.
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

namespace tribe::product {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::HttpReply;
using testing::HttpVisitor;
using ::testing::Not;
using testing::order_state;
using ::testing::UnorderedElementsAre;

class BabyCircleWalk : public testing::DemoSiteWalk {
 protected:
  BabyCircleWalk() : DemoSiteWalk("baby-circle") {}

  // The product `id` on /api/products (null when the catalogue does not list it).
  static sdk::Json product(HttpVisitor& browser, const std::string& id) {
    const sdk::Json page = json(browser, "/api/products");  // outlives the loop
    for (const auto& item : page["products"]) {
      if (item["id"] == id) return item;
    }
    return sdk::Json();
  }

  // The event `id` on /api/events (null when not listed).
  static sdk::Json event(HttpVisitor& browser, const std::string& id) {
    const sdk::Json page = json(browser, "/api/events");
    for (const auto& group : page["groups"]) {
      for (const auto& item : group["events"]) {
        if (item["id"] == id) return item;
      }
    }
    return sdk::Json();
  }

  // The site copy's YAML with each `from` replaced by its `to` (each must be there once).
  void edit_site(const std::vector<std::pair<std::string, std::string>>& edits) {
    std::string yaml;
    {
      std::ifstream in(site_file());
      std::stringstream text;
      text << in.rdbuf();
      yaml = text.str();
    }
    for (const auto& [from, to] : edits) {
      const auto at = yaml.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      ASSERT_EQ(yaml.find(from, at + 1), std::string::npos) << from << " is there twice";
      yaml.replace(at, from.size(), to);
    }
    std::ofstream(site_file()) << yaml;
  }

  // Of the replies, how many ordered (303 to the checkout: paid here, which must fulfil) and how
  // many were refused as sold out (409).
  std::pair<int, int> pay_ordered(std::vector<HttpVisitor>& buyers,
                                  const std::vector<HttpReply>& replies) {
    int ordered = 0;
    int refused = 0;
    for (std::size_t i = 0; i < buyers.size(); ++i) {
      if (replies[i].status == 303) {
        ++ordered;
        EXPECT_THAT(replies[i].location, ::testing::StartsWith("/checkout/"));
        EXPECT_EQ(buyers[i].post_form(replies[i].location + "/pay", {}).status, 303);
        EXPECT_EQ(order_state(buyers[i], replies[i].location.substr(10)), "fulfilled");
      } else {
        ++refused;
        EXPECT_EQ(replies[i].status, 409) << replies[i].body;
      }
    }
    return {ordered, refused};
  }

  std::vector<HttpVisitor> sign_up_many(const std::string& prefix, int count) {
    std::vector<HttpVisitor> people;
    for (int i = 0; i < count; ++i)
      people.push_back(sign_up(prefix + std::to_string(i) + "@x.com"));
    return people;
  }
};

TEST_F(BabyCircleWalk, ShippedSiteValidates) {
  expect_shipped_site_validates();
}

TEST_F(BabyCircleWalk, PartnerLinkToAMotherWhoBuysAgainAndRefersAFriend) {
  // Day 0. A recommender buys the recommender programme and shares their link.
  serve(0);
  HttpVisitor partner = sign_up("partner@example.com");
  const std::string link = become_partner(partner);
  ASSERT_FALSE(link.empty());

  // A mother arrives by the link and signs up: a fan, bound to the partner.
  HttpVisitor mother = sign_up("mother@example.com", link);
  EXPECT_EQ(json(mother, "/api/me")["stage"], "fan");
  const std::string mother_id = json(mother, "/api/me")["id"];
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], Contains(mother_id));
  EXPECT_THAT(mother.get("/").body, HasSubstr("库存: 1000"));
  const HttpReply trial_page = mother.get("/products/trial-pack");
  EXPECT_EQ(trial_page.status, 200);
  EXPECT_THAT(trial_page.body, HasSubstr("action=\"/products/trial-pack/buy\""));
  EXPECT_THAT(trial_page.body, Not(HasSubstr("再次购买")));

  // Buys the trial pack (the entry offer) on the sandbox checkout page: a member. The partner's
  // link was her coupon: 10 元 off her first trial pack, paid 29 元.
  EXPECT_THAT(mother.get("/offers").body, HasSubstr("好友邀请首单立减 10.00 CNY"));
  const std::string trial = pay(mother, "/products/trial-pack/buy", "walk-trial");
  EXPECT_EQ(order_state(mother, trial), "fulfilled");
  EXPECT_EQ(json(mother, "/api/orders/" + trial)["amount"], 2900);
  EXPECT_EQ(json(mother, "/api/orders/" + trial)["coupon"], 1000);
  EXPECT_THAT(mother.get("/checkout/" + trial).body, HasSubstr("好友券 −10.00 CNY"));
  EXPECT_EQ(json(mother, "/api/me")["stage"], "member");
  EXPECT_EQ(product(mother, "trial-pack")["owned"], true);
  EXPECT_EQ(product(mother, "trial-pack")["stock_left"], 999);

  // Buys diapers, then buys them again (复购): the product sells as often as its stock lasts.
  const std::string diapers = pay(mother, "/products/diapers/buy", "walk-diapers-1");
  EXPECT_EQ(order_state(mother, diapers), "fulfilled");
  EXPECT_THAT(mother.get("/products/diapers").body, HasSubstr("再次购买"));
  const std::string again = pay(mother, "/products/diapers/buy", "walk-diapers-2");
  EXPECT_NE(again, diapers);
  EXPECT_EQ(order_state(mother, again), "fulfilled");
  EXPECT_EQ(product(mother, "diapers")["stock_left"], 498);
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("2.90 CNY L1 held", "12.90 CNY L1 held", "12.90 CNY L1 held"));

  // The mother becomes a recommender herself and brings a friend, who buys the trial pack: the
  // mother earns the first level, the partner who brought her the second.
  const std::string mother_link = become_partner(mother);
  ASSERT_FALSE(mother_link.empty());
  EXPECT_NE(mother_link, link);
  HttpVisitor friend_ = sign_up("friend@example.com", mother_link);
  const std::string friend_id = json(friend_, "/api/me")["id"];
  EXPECT_THAT(json(mother, "/api/partner")["referrals"], Contains(friend_id));
  const std::string friends = pay(friend_, "/products/trial-pack/buy", "friend-trial");
  EXPECT_EQ(order_state(friend_, friends), "fulfilled");
  EXPECT_EQ(json(friend_, "/api/orders/" + friends)["coupon"], 1000);  // the mother's coupon
  // Commissions are on what was paid; the coupons are the site's own entry beside full revenue.
  EXPECT_THAT(commissions(mother), UnorderedElementsAre("2.90 CNY L1 held"));
  EXPECT_THAT(commissions(partner), UnorderedElementsAre("2.90 CNY L1 held", "12.90 CNY L1 held",
                                                         "12.90 CNY L1 held", "1.45 CNY L2 held"));
  EXPECT_TRUE(json(partner, "/api/partner")["payable"].empty());

  // Day 8: the refund windows (7 days) have closed; the sweep makes every commission payable.
  serve(8);
  for (HttpVisitor* browser : {&partner, &mother, &friend_}) follow(*browser);
  await_payable(partner, 4);
  await_payable(mother, 1);
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("2.90 CNY L1 payable", "12.90 CNY L1 payable",
                                   "12.90 CNY L1 payable", "1.45 CNY L2 payable"));
  EXPECT_THAT(commissions(mother), UnorderedElementsAre("2.90 CNY L1 payable"));
  EXPECT_THAT(json(partner, "/api/partner")["payable"].dump(), HasSubstr("30.15 CNY"));

  // The funnel over the walk's days: four browsers came (two by a recommender's link) and signed
  // up; three bought for the first time (the partner programme, the mother's and the friend's
  // trial packs); the mother bought again three times (diapers twice, the programme); her four
  // purchases and the friend's one count as referred; the ladder holds the admin as a fan, the
  // friend as a member and two partners.
  HttpVisitor admin = sign_up("owner@baby-circle.example");
  EXPECT_EQ(mother.get("/api/funnel").status, 403);  // not an admin
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
  EXPECT_EQ(funnel["steps"]["product.feedback"], 0);  // nobody left feedback in this walk
  expect_ledger_checks();
  EXPECT_EQ(balance("site:referral_coupons"), 2 * 1000);
}

// The stroller's first batch holds 3, six mothers pre-order at once: 3 orders, 3 refused as sold
// out, the 3 paid; the page says when it ships and that it is sold out; a late buyer is refused.
TEST_F(BabyCircleWalk, PreorderBatchNeverOversells) {
  const std::string ships = testing::utc_date(30);
  edit_site(
      {{"    capacity: 50\n", "    capacity: 3\n"}, {"ships: 2027-01-15", "ships: " + ships}});
  serve(0);
  std::vector<HttpVisitor> buyers = sign_up_many("preorder", 6);
  const HttpReply page = buyers[0].get("/products/stroller");
  EXPECT_THAT(page.body, HasSubstr("预售 · 发货日期 <strong id=\"ships\">" + ships + "</strong>"));
  EXPECT_THAT(page.body, HasSubstr("预订"));
  EXPECT_EQ(product(buyers[0], "stroller")["stock_left"], 3);
  const auto [ordered, refused] =
      pay_ordered(buyers, buy_at_once(buyers, "/products/stroller/buy"));
  EXPECT_EQ(ordered, 3);
  EXPECT_EQ(refused, 3);

  HttpVisitor late = sign_up("late@x.com");
  const sdk::Json stroller = product(late, "stroller");
  EXPECT_EQ(stroller["stock_left"], 0);
  EXPECT_EQ(stroller["sold_out"], true);
  EXPECT_EQ(stroller["preorder"], true);
  EXPECT_EQ(stroller["ships"], ships);
  EXPECT_THAT(late.get("/products/stroller").body, HasSubstr("已售罄"));
  EXPECT_EQ(late.post_form("/products/stroller/buy", {{"idempotency_key", "late"}}).status, 409);
  EXPECT_EQ(balance("site:revenue"), -3 * 89900);

  // On its ship day it is no longer a pre-order.
  serve(30);
  follow(late);
  EXPECT_EQ(product(late, "stroller")["preorder"], false);
  expect_ledger_checks();
}

// The Shanghai salon holds 3, six mothers buy tickets at once: 3 tickets, 3 refused; the events
// page by city says none are left. Once an event's day has passed, its tickets are not sold.
TEST_F(BabyCircleWalk, EventTicketsNeverOversellAndStopSellingAfterTheDay) {
  const std::string day = testing::utc_date(20);
  edit_site({{"    capacity: 30\n", "    capacity: 3\n"},
             {"date: 2027-01-09", "date: " + day},
             {"date: 2027-01-16", "date: " + day}});
  serve(0);
  std::vector<HttpVisitor> buyers = sign_up_many("ticket", 6);
  EXPECT_EQ(event(buyers[0], "shanghai-salon")["tickets_left"], 3);
  const auto [ordered, refused] =
      pay_ordered(buyers, buy_at_once(buyers, "/events/shanghai-salon/tickets"));
  EXPECT_EQ(ordered, 3);
  EXPECT_EQ(refused, 3);
  int holders = 0;
  for (auto& buyer : buyers) holders += event(buyer, "shanghai-salon")["has_ticket"] == true;
  EXPECT_EQ(holders, 3);

  HttpVisitor late = sign_up("late@x.com");
  const sdk::Json salon = event(late, "shanghai-salon");
  EXPECT_EQ(salon["tickets_left"], 0);
  EXPECT_EQ(salon["sold_out"], true);
  EXPECT_EQ(late.post_form("/events/shanghai-salon/tickets", {{"idempotency_key", "late"}}).status,
            409);
  const HttpReply shanghai = late.get("/events?city=%E4%B8%8A%E6%B5%B7");  // 上海
  EXPECT_THAT(shanghai.body, HasSubstr("新手妈妈育儿沙龙"));
  EXPECT_THAT(shanghai.body, HasSubstr("剩余票数: 0"));
  EXPECT_THAT(shanghai.body, Not(HasSubstr("宝宝游泳体验课")));  // Beijing's
  EXPECT_EQ(balance("site:revenue"), -3 * 4900);

  // Day 21: the Beijing swim (tickets left) has taken place, so it sells no more.
  serve(21);
  follow(late);
  const sdk::Json swim = event(late, "beijing-swim");
  EXPECT_EQ(swim["past"], true);
  EXPECT_EQ(swim["open"], false);
  EXPECT_EQ(swim["tickets_left"], 12);
  EXPECT_EQ(late.post_form("/events/beijing-swim/tickets", {{"idempotency_key", "past"}}).status,
            409);
  EXPECT_EQ(event(late, "beijing-swim")["tickets_left"], 12);
  expect_ledger_checks();
}

// The new bottle is open to seed users only until its day (five days on): a member who is not a
// seed user is refused (page, JSON and Buy); a member who redeems a code, and one an admin invites
// by e-mail, see and buy it. On its day it opens to everyone. Only seed users leave feedback.
TEST_F(BabyCircleWalk, EarlyAccessAndFeedbackAreForSeedUsersOnly) {
  const std::string opens = testing::utc_date(5);
  edit_site({{"early_access_until: 2026-12-20", "early_access_until: " + opens}});
  serve(0);
  HttpVisitor seed = sign_up("seed@example.com");
  HttpVisitor other = sign_up("other@example.com");
  HttpVisitor invited = sign_up("invited@example.com");
  HttpVisitor admin = sign_up("owner@baby-circle.example");

  // Before the day: a visitor is sent to log in, members who are not seed users are refused.
  HttpVisitor visitor(server_->port(), "baby-circle.localhost");
  EXPECT_EQ(visitor.get("/products/bottle").status, 303);
  EXPECT_EQ(visitor.get("/products/diapers").status, 200);

  const HttpReply refused = other.get("/products/bottle");
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr(opens));
  EXPECT_EQ(other.get("/api/products/bottle").status, 403);
  EXPECT_EQ(other.post_form("/products/bottle/buy", {{"idempotency_key", "early"}}).status, 403);
  EXPECT_EQ(product(other, "bottle")["open"], false);
  EXPECT_EQ(product(other, "bottle")["early_access"], true);
  EXPECT_EQ(invited.get("/products/bottle").status, 403);

  // A code makes a seed user, once: the same code is refused to the next member, an unknown one
  // everywhere.
  EXPECT_EQ(json(seed, "/api/seed")["seed_user"], false);
  EXPECT_EQ(seed.post_form("/seed/join", {{"code", " seed-mama-003 "}}).status, 303);
  EXPECT_EQ(json(seed, "/api/seed")["seed_user"], true);
  EXPECT_EQ(other.post_form("/seed/join", {{"code", "SEED-MAMA-003"}}).status, 409);
  EXPECT_EQ(other.post_form("/seed/join", {{"code", "SEED-MAMA-999"}}).status, 404);
  EXPECT_EQ(json(other, "/api/seed")["seed_user"], false);
  EXPECT_EQ(seed.get("/products/bottle").status, 200);
  EXPECT_EQ(product(seed, "bottle")["open"], true);
  const std::string bottle = pay(seed, "/products/bottle/buy", "seed-bottle");
  EXPECT_EQ(order_state(seed, bottle), "fulfilled");

  // Four members race for one code: one joins, three are refused.
  std::vector<HttpVisitor> racers = sign_up_many("racer", 4);
  std::vector<HttpReply> joined(racers.size());
  {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < racers.size(); ++i) {
      threads.emplace_back([&, i] {
        joined[i] = racers[i].post_form("/seed/join", {{"code", "SEED-MAMA-007"}});
      });
    }
    for (auto& thread : threads) thread.join();
  }
  int seeds = 0;
  for (std::size_t i = 0; i < racers.size(); ++i) {
    const bool seed_now = json(racers[i], "/api/seed")["seed_user"] == true;
    seeds += seed_now;
    EXPECT_EQ(joined[i].status, seed_now ? 303 : 409) << joined[i].body;
  }
  EXPECT_EQ(seeds, 1);

  // An admin invites an address; a member who is not an admin may not.
  EXPECT_EQ(other.post_form("/seed/invite", {{"email", "other@example.com"}}).status, 403);
  EXPECT_EQ(admin.post_form("/seed/invite", {{"email", "not an address"}}).status, 400);
  EXPECT_EQ(admin.post_form("/seed/invite", {{"email", " Invited@Example.com"}}).status, 303);
  EXPECT_THAT(json(admin, "/api/seed")["invites"].dump(), HasSubstr("invited@example.com"));
  EXPECT_EQ(json(invited, "/api/seed")["seed_user"], true);
  EXPECT_EQ(invited.get("/products/bottle").status, 200);
  EXPECT_EQ(other.get("/products/bottle").status, 403);

  // Feedback: seed users only (with a rating of 1 to 5 and a text), read by seed users and admins.
  const std::string words = "宝宝喝奶不再胀气,夜里睡得更久了";
  EXPECT_EQ(
      other.post_form("/products/trial-pack/feedback", {{"rating", "5"}, {"body", "好用"}}).status,
      403);
  EXPECT_EQ(seed.post_form("/products/bottle/feedback", {{"rating", "9"}, {"body", words}}).status,
            400);
  EXPECT_EQ(seed.post_form("/products/bottle/feedback", {{"rating", "5"}, {"body", " "}}).status,
            400);
  EXPECT_EQ(seed.post_form("/products/bottle/feedback", {{"rating", "5"}, {"body", words}}).status,
            303);
  EXPECT_EQ(
      invited
          .post_form("/products/trial-pack/feedback", {{"rating", "4"}, {"body", "试用装很贴心"}})
          .status,
      303);
  const sdk::Json feedback = json(seed, "/api/products/bottle/feedback")["feedback"];
  ASSERT_EQ(feedback.size(), 1u);
  EXPECT_EQ(feedback[0]["body"], words);
  EXPECT_EQ(feedback[0]["rating"], 5);
  EXPECT_EQ(feedback[0]["author"], "seed@example");
  EXPECT_THAT(seed.get("/products/bottle").body, HasSubstr(words));
  EXPECT_EQ(json(admin, "/api/products/trial-pack/feedback")["feedback"].size(), 1u);
  EXPECT_EQ(other.get("/api/products/trial-pack/feedback").status, 403);
  EXPECT_THAT(other.get("/products/trial-pack").body, Not(HasSubstr("试用装很贴心")));
  // The funnel's feedback step: the two accepted, not the refused ones.
  EXPECT_EQ(json(admin, "/api/funnel?from=" + testing::utc_date(-1) +
                            "&to=" + testing::utc_date(1))["steps"]["product.feedback"],
            2);

  // Day 5: the bottle is open to every member; feedback stays with the seed users.
  serve(5);
  for (HttpVisitor* browser : {&seed, &other}) follow(*browser);
  EXPECT_EQ(product(other, "bottle")["early_access"], false);
  EXPECT_EQ(other.get("/products/bottle").status, 200);
  const std::string late = pay(other, "/products/bottle/buy", "other-bottle");
  EXPECT_EQ(order_state(other, late), "fulfilled");
  EXPECT_EQ(other.post_form("/products/bottle/feedback", {{"rating", "5"}, {"body", "也想说两句"}})
                .status,
            403);
  EXPECT_EQ(json(seed, "/api/products/bottle/feedback")["feedback"].size(), 1u);
  expect_ledger_checks();
}

}  // namespace
}  // namespace tribe::product
