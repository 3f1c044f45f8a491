// Acceptance walks of the knowledge-channel demo site (sites/knowledge-channel.yaml) over real
// sockets against a real `tribe serve`: a reader arrives by a partner's link, signs up, sees only
// the teaser of a members' post (page and JSON), buys the membership on the sandbox checkout page
// and reads the body, renews (one term later), buys a book in the micro-mall, becomes a partner
// and refers a friend who joins too; the partners' commissions (both levels) are held, then
// payable after the refund window, and the funnel counts what the walk did; four sponsors race for
// one sponsorship slot, exactly one pays, and the slot shows their message labelled as sponsored.
// Time moves by restarting `tribe serve` with --clock-offset on the same database. The ledger is
// checked after each walk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
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

namespace tribe::media {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::HttpReply;
using testing::HttpVisitor;
using ::testing::Not;
using testing::order_state;
using testing::ServedTribe;
using ::testing::UnorderedElementsAre;

constexpr const char* kHost = "knowledge-channel.localhost";
constexpr const char* kBody = "人们付费买的不是信息";  // in the members' post's body only
constexpr const char* kTeaser = "答案不在内容本身";    // in its teaser

// The same date one year later ("2027-11-23" -> "2028-11-23").
std::string a_year_after(const std::string& date) {
  if (date.size() != 10) return "not a date: " + date;
  return std::to_string(std::stoi(date.substr(0, 4)) + 1) + date.substr(4);
}

class KnowledgeChannelWalk : public testing::DemoSiteWalk {
 protected:
  KnowledgeChannelWalk() : DemoSiteWalk("knowledge-channel") {}

  // The slot `id` on /api/sponsors (null when the channel does not list it).
  static sdk::Json slot(HttpVisitor& browser, const std::string& id) {
    const sdk::Json page = json(browser, "/api/sponsors");  // outlives the loop
    for (const auto& item : page["slots"]) {
      if (item["id"] == id) return item;
    }
    return sdk::Json();
  }
};

TEST_F(KnowledgeChannelWalk, ShippedSiteValidates) {
  expect_shipped_site_validates();
}

TEST_F(KnowledgeChannelWalk, PartnerLinkToAReaderWhoJoinsRenewsBuysABookAndRefersAFriend) {
  // Day 0. A partner of the channel buys the partner programme and shares their link.
  serve(0);
  HttpVisitor partner = sign_up("partner@example.com");
  const std::string link = become_partner(partner);
  ASSERT_FALSE(link.empty());

  // A reader arrives by the link and signs up: a fan, bound to the partner.
  HttpVisitor reader = sign_up("reader@example.com", link);
  EXPECT_EQ(json(reader, "/api/me")["stage"], "fan");
  const std::string reader_id = json(reader, "/api/me")["id"];
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], ::testing::Contains(reader_id));

  // The members' post shows its teaser and the Join button, never its body: not on the page,
  // not in the JSON, not in the list. A free post is read in full.
  HttpReply locked = reader.get("/posts/knowledge-economy");
  EXPECT_EQ(locked.status, 200);
  EXPECT_THAT(locked.body, HasSubstr(kTeaser));
  EXPECT_THAT(locked.body, Not(HasSubstr(kBody)));
  EXPECT_THAT(locked.body, HasSubstr("action=\"/join\""));
  sdk::Json post = json(reader, "/api/posts/knowledge-economy");
  EXPECT_EQ(post["teaser"], "免费的内容很多,为什么还有人为知识付费?答案不在内容本身。");
  EXPECT_EQ(post["locked"], true);
  EXPECT_FALSE(post.contains("body")) << post.dump();
  EXPECT_THAT(json(reader, "/api/posts").dump(), Not(HasSubstr(kBody)));
  EXPECT_THAT(reader.get("/posts/welcome").body, HasSubstr("所有人都可以读完"));
  EXPECT_EQ(json(reader, "/api/membership")["active"], false);

  // Buys the membership on the sandbox checkout page: a member, who reads the body.
  const std::string joined = pay(reader, "/join", "walk-join");
  EXPECT_EQ(order_state(reader, joined), "fulfilled");
  EXPECT_EQ(json(reader, "/api/me")["stage"], "member");
  const HttpReply open = reader.get("/posts/knowledge-economy");
  EXPECT_EQ(open.status, 200);
  EXPECT_THAT(open.body, HasSubstr(kBody));
  post = json(reader, "/api/posts/knowledge-economy");
  EXPECT_EQ(post["locked"], false);
  EXPECT_THAT(post.value("body", ""), HasSubstr(kBody));
  sdk::Json membership = json(reader, "/api/membership");
  EXPECT_EQ(membership["active"], true);
  const std::string first_until = membership["until"];
  EXPECT_EQ(first_until, a_year_after(testing::utc_date(0)));
  EXPECT_THAT(reader.get("/join").body, HasSubstr("续费一年"));

  // Renews early: the end moves one term (P1Y) on from the old end.
  const std::string renewed = pay(reader, "/join", "walk-renew");
  EXPECT_EQ(order_state(reader, renewed), "fulfilled");
  membership = json(reader, "/api/membership");
  EXPECT_EQ(membership["active"], true);
  EXPECT_EQ(membership["until"], a_year_after(first_until));

  // Buys a book in the micro-mall.
  EXPECT_THAT(reader.get("/shop").body, Not(HasSubstr("你已购买")));
  const std::string book = pay(reader, "/shop/book-thinking/buy", "walk-book");
  EXPECT_EQ(order_state(reader, book), "fulfilled");
  EXPECT_THAT(reader.get("/shop").body, HasSubstr("你已购买"));
  EXPECT_EQ(reader.post_form("/shop/membership/buy", {{"idempotency_key", "x"}}).status, 404);

  // The reader becomes a partner too and refers a friend, who buys the membership.
  const std::string reader_link = become_partner(reader);
  ASSERT_FALSE(reader_link.empty());
  EXPECT_NE(reader_link, link);
  HttpVisitor friend_ = sign_up("friend@example.com", reader_link);
  EXPECT_EQ(json(friend_, "/api/me")["stage"], "fan");
  const std::string friend_id = json(friend_, "/api/me")["id"];
  EXPECT_THAT(json(reader, "/api/partner")["referrals"], ::testing::Contains(friend_id));
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], Not(::testing::Contains(friend_id)));
  EXPECT_THAT(friend_.get("/posts/knowledge-economy").body, Not(HasSubstr(kBody)));
  const std::string friends = pay(friend_, "/join", "friend-join");
  EXPECT_EQ(order_state(friend_, friends), "fulfilled");
  EXPECT_EQ(json(friend_, "/api/me")["stage"], "member");
  EXPECT_THAT(friend_.get("/posts/knowledge-economy").body, HasSubstr(kBody));

  // Commissions, held for the 7-day refund window: the partner earns 10% of the reader's
  // membership, renewal and book, and 5% (level 2) of the friend's membership; the reader 10%
  // (level 1) of the friend's. The partner programme pays no commission.
  EXPECT_THAT(commissions(partner), UnorderedElementsAre("19.90 CNY L1 held", "19.90 CNY L1 held",
                                                         "6.80 CNY L1 held", "9.95 CNY L2 held"));
  EXPECT_THAT(commissions(reader), UnorderedElementsAre("19.90 CNY L1 held"));
  EXPECT_TRUE(json(partner, "/api/partner")["payable"].empty());
  EXPECT_TRUE(json(reader, "/api/partner")["payable"].empty());

  // Day 8: the refund windows (7 days) have closed; the sweep makes the commissions payable.
  serve(8);
  follow(reader);
  follow(partner);
  follow(friend_);
  await_payable(partner, 4);
  await_payable(reader, 1);
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("19.90 CNY L1 payable", "19.90 CNY L1 payable",
                                   "6.80 CNY L1 payable", "9.95 CNY L2 payable"));
  EXPECT_THAT(commissions(reader), UnorderedElementsAre("19.90 CNY L1 payable"));
  EXPECT_THAT(json(partner, "/api/partner")["payable"].dump(), HasSubstr("56.55 CNY"));
  EXPECT_THAT(json(reader, "/api/partner")["payable"].dump(), HasSubstr("19.90 CNY"));
  EXPECT_THAT(reader.get("/posts/knowledge-economy").body, HasSubstr(kBody));  // still a member
  EXPECT_THAT(friend_.get("/posts/knowledge-economy").body, HasSubstr(kBody));

  // The funnel over the walk's days shows what the walk did: four browsers came (two by partner
  // links) and signed up; three bought for the first time (the partner programme, the reader's
  // and the friend's membership); the reader bought three times more (the renewal, the book,
  // the partner programme); the referred reader's four purchases and the friend's one count as
  // referred; the ladder holds one fan (the admin), one member (the friend) and two partners.
  HttpVisitor admin = sign_up("owner@knowledge-channel.example");
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
  EXPECT_EQ(funnel["steps"]["media.sponsorships"], 0);  // no sponsor in this walk
  expect_ledger_checks();
}

// Four sponsors order the same slot at once: one order, three refused as taken; the one pays, and
// the channel shows their name and message labelled as sponsored. The slot never sells twice.
TEST_F(KnowledgeChannelWalk, ASponsorshipSlotSellsOnceAndItsMessageIsLabelledSponsored) {
  // The first slot's day, moved a month ahead of today so it is still for sale.
  std::string yaml;
  {
    std::ifstream in(dir_ / "sites" / "knowledge-channel.yaml");
    std::stringstream text;
    text << in.rdbuf();
    yaml = text.str();
  }
  const auto at = yaml.find("date: 2027-01-04");
  ASSERT_NE(at, std::string::npos);
  const std::string day = testing::utc_date(30);
  yaml.replace(at, 16, "date: " + day);
  std::ofstream(dir_ / "sites" / "knowledge-channel.yaml") << yaml;
  serve(0);

  HttpVisitor visitor(server_->port(), kHost);
  ASSERT_EQ(slot(visitor, "2027-w01")["state"], "open");
  std::vector<HttpVisitor> sponsors;
  for (int i = 0; i < 4; ++i) sponsors.push_back(sign_up("sponsor" + std::to_string(i) + "@x.com"));
  std::vector<HttpReply> ordered(sponsors.size());
  {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < sponsors.size(); ++i) {
      threads.emplace_back([&, i] {
        const std::string n = std::to_string(i);
        ordered[i] = sponsors[i].post_form("/sponsors/2027-w01/book",
                                           {{"idempotency_key", "slot-" + n},
                                            {"sponsor", "赞助商" + n + "号"},
                                            {"message", "第" + n + "号的口播文案"}});
      });
    }
    for (auto& thread : threads) thread.join();
  }
  int winner = -1;
  int refused = 0;
  for (std::size_t i = 0; i < sponsors.size(); ++i) {
    if (ordered[i].status == 303) {
      EXPECT_EQ(winner, -1) << "a second order for the slot";
      winner = static_cast<int>(i);
    } else {
      ++refused;
      EXPECT_EQ(ordered[i].status, 409) << ordered[i].body;
    }
  }
  ASSERT_NE(winner, -1);
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(slot(visitor, "2027-w01")["state"], "pending");  // held by the unpaid order
  HttpVisitor& paying = sponsors[winner];
  ASSERT_THAT(ordered[winner].location, ::testing::StartsWith("/checkout/"));
  EXPECT_EQ(paying.post_form(ordered[winner].location + "/pay", {}).status, 303);
  const std::string order = ordered[winner].location.substr(10);
  EXPECT_EQ(order_state(paying, order), "fulfilled");

  // The paid order's event marks the booking paid (delivered outside the request: polled).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (slot(visitor, "2027-w01")["state"] != "booked" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string n = std::to_string(winner);
  const sdk::Json booked = slot(visitor, "2027-w01");
  EXPECT_EQ(booked["state"], "booked");
  EXPECT_EQ(booked["sponsored"], true);
  EXPECT_EQ(booked["sponsor"], "赞助商" + n + "号");
  EXPECT_EQ(booked["message"], "第" + n + "号的口播文案");
  const std::string label = "<span class=\"label\">赞助</span> <strong>赞助商" + n +
                            "号</strong>: 第" + n + "号的口播文案";
  EXPECT_THAT(visitor.get("/").body, HasSubstr(label));  // on the channel's home page
  EXPECT_THAT(visitor.get("/sponsors").body, HasSubstr(label));
  for (int i = 0; i < 4; ++i) {
    if (i == winner) continue;
    EXPECT_THAT(visitor.get("/").body, Not(HasSubstr("赞助商" + std::to_string(i) + "号")));
  }

  // It never sells twice: a late sponsor is refused; the next slot is not taken.
  HttpVisitor late = sign_up("late@x.com");
  EXPECT_EQ(
      late.post_form("/sponsors/2027-w01/book",
                     {{"idempotency_key", "late"}, {"sponsor", "迟到者"}, {"message", "再来一次"}})
          .status,
      409);
  EXPECT_EQ(late.post_form("/sponsors/2027-w01/book",
                           {{"idempotency_key", "empty"}, {"sponsor", ""}, {"message", "x"}})
                .status,
            400);  // a booking needs a sponsor's name
  EXPECT_EQ(slot(visitor, "2027-w02")["booked"], false);
  // The funnel's sponsorships step: the one slot paid today.
  HttpVisitor admin = sign_up("owner@knowledge-channel.example");
  EXPECT_EQ(json(admin, "/api/funnel?from=" + testing::utc_date(-1) +
                            "&to=" + testing::utc_date(1))["steps"]["media.sponsorships"],
            1);
  EXPECT_EQ(balance("site:revenue"), -500000);  // one slot paid: 5,000.00 CNY
  expect_ledger_checks();
}

}  // namespace
}  // namespace tribe::media
