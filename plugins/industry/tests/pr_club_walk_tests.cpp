// Acceptance walks of the pr-club demo site (sites/pr-club.yaml) over real sockets against a real
// `tribe serve`: a professional arrives by a partner's link, applies, is verified by an admin,
// pays the entry fee and renews it, becomes a partner and brings a colleague who is verified and
// pays too, and the partners' commissions are held, then payable; a pending or rejected applicant
// is refused the members' offers on every till (the plugin's /join, its class and training
// buttons, POST /api/orders) and no order is made; the board ranks posts sharing a member's tags
// first and shows a poster who asked. Time moves by restarting `tribe serve` with --clock-offset
// on the same database. The ledger is checked after each walk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "child_process.hpp"
#include "demo_site_walk.hpp"
#include "http_client.hpp"
#include "site_walk.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::industry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HttpReply;
using testing::HttpVisitor;
using ::testing::Not;
using testing::order_state;
using ::testing::UnorderedElementsAre;

constexpr const char* kAdmin = "owner@pr-club.example";

// The same date one year later ("2027-11-23" -> "2028-11-23").
std::string a_year_after(const std::string& date) {
  if (date.size() != 10) return "not a date: " + date;
  return std::to_string(std::stoi(date.substr(0, 4)) + 1) + date.substr(4);
}

class PrClubWalk : public testing::DemoSiteWalk {
 protected:
  PrClubWalk() : DemoSiteWalk("pr-club") {}

  static std::string id_of(HttpVisitor& browser) {
    return json(browser, "/api/me").value("id", "");
  }

  static sdk::Json tags_of(HttpVisitor& browser) { return json(browser, "/api/me")["tags"]; }

  static HttpReply apply(HttpVisitor& member, const std::string& company) {
    return member.post_form("/apply", {{"company", company},
                                       {"title", "品牌公关经理"},
                                       {"years", "6"},
                                       {"proof", "工作邮箱 pr@" + company + ".example"}});
  }

  static HttpReply decide(HttpVisitor& admin, HttpVisitor& member, const std::string& decision,
                          const std::string& reason) {
    return admin.post_form("/admin/applications/" + id_of(member) + "/decide",
                           {{"decision", decision}, {"reason", reason}});
  }

  // The member applies; the admin approves (both checked): the member is tagged verified.
  static void apply_and_approve(HttpVisitor& member, HttpVisitor& admin,
                                const std::string& company) {
    const HttpReply applied = apply(member, company);
    EXPECT_EQ(applied.status, 303) << applied.body;
    const HttpReply decided = decide(admin, member, "approve", "");
    EXPECT_EQ(decided.status, 303) << decided.body;
    EXPECT_EQ(json(member, "/api/application")["state"], "approved");
    EXPECT_THAT(tags_of(member), ::testing::Contains("verified"));
  }

  static HttpReply api_order(HttpVisitor& browser, const std::string& offer,
                             const std::string& key) {
    return browser.post_json("/api/orders",
                             sdk::Json{{"offer", offer}, {"idempotency_key", key}}.dump());
  }

  // The member's orders (of any offer) on /api/account.
  static std::size_t orders_of(HttpVisitor& browser) {
    return json(browser, "/api/account")["orders"].size();
  }

  // Every way to buy a members' offer: the plugin's pages and POST /api/orders. Each must be
  // refused with 403; returns how many were.
  static int refused_everywhere(HttpVisitor& member, const std::string& tag) {
    int refused = 0;
    const std::vector<HttpReply> replies = {
        member.post_form("/join", {{"idempotency_key", tag + "-join"}}),
        member.post_form("/classes/crisis-2027-01/buy", {{"idempotency_key", tag + "-class"}}),
        member.post_form("/training/training-brand/buy", {{"idempotency_key", tag + "-train"}}),
        api_order(member, "entry", tag + "-api-entry"),
        api_order(member, "class-media-2027-02", tag + "-api-class"),
    };
    for (const auto& reply : replies) {
      EXPECT_EQ(reply.status, 403) << reply.body;
      EXPECT_THAT(reply.body, HasSubstr("verified")) << reply.body;
      refused += reply.status == 403;
    }
    return refused;
  }
};

TEST_F(PrClubWalk, ShippedSiteValidates) {
  expect_shipped_site_validates();
}

TEST_F(PrClubWalk, PartnerLinkToAVerifiedMemberWhoRenewsAndRefersAColleague) {
  // Day 0. A partner of the club buys the partner programme and shares their link.
  serve(0);
  HttpVisitor partner = sign_up("partner@example.com");
  const std::string link = become_partner(partner);
  ASSERT_FALSE(link.empty());
  HttpVisitor admin = sign_up(kAdmin);

  // A professional arrives by the link and signs up: a fan, bound to the partner.
  HttpVisitor pro = sign_up("pro@example.com", link);
  EXPECT_EQ(json(pro, "/api/me")["stage"], "fan");
  EXPECT_THAT(json(partner, "/api/partner")["referrals"], ::testing::Contains(id_of(pro)));
  // Not verified yet: the entry fee is refused.
  EXPECT_EQ(pro.post_form("/join", {{"idempotency_key", "too-early"}}).status, 403);
  apply_and_approve(pro, admin, "蓝莓传播");
  EXPECT_THAT(pro.get("/join").body, HasSubstr("缴纳入会费"));

  // Pays the entry fee: a member of the club for a year.
  const std::string entry = pay(pro, "/join", "walk-entry");
  EXPECT_EQ(order_state(pro, entry), "fulfilled");
  EXPECT_EQ(json(pro, "/api/me")["stage"], "member");
  sdk::Json club = json(pro, "/api/club");
  EXPECT_EQ(club["entry"]["active"], true);
  const std::string first_until = club["entry"]["until"];
  EXPECT_EQ(first_until, a_year_after(testing::utc_date(0)));

  // Renews early: the end moves one term (P1Y) on from the old end.
  const std::string renewed = pay(pro, "/join", "walk-renew");
  EXPECT_EQ(order_state(pro, renewed), "fulfilled");
  EXPECT_EQ(json(pro, "/api/club")["entry"]["until"], a_year_after(first_until));
  EXPECT_THAT(commissions(partner), UnorderedElementsAre("99.90 CNY L1 held", "99.90 CNY L1 held"));

  // The member becomes a partner too and brings a colleague, who is verified and pays the entry.
  const std::string pro_link = become_partner(pro);
  ASSERT_FALSE(pro_link.empty());
  HttpVisitor colleague = sign_up("colleague@example.com", pro_link);
  EXPECT_THAT(json(pro, "/api/partner")["referrals"], ::testing::Contains(id_of(colleague)));
  apply_and_approve(colleague, admin, "创意工场");
  const std::string joined = pay(colleague, "/join", "walk-colleague");
  EXPECT_EQ(order_state(colleague, joined), "fulfilled");
  EXPECT_EQ(json(colleague, "/api/me")["stage"], "member");
  EXPECT_THAT(commissions(pro), ElementsAre("99.90 CNY L1 held"));
  EXPECT_THAT(commissions(partner),
              UnorderedElementsAre("99.90 CNY L1 held", "99.90 CNY L1 held", "49.95 CNY L2 held"));
  EXPECT_TRUE(json(partner, "/api/partner")["payable"].empty());

  // Day 8: the refund windows (7 days) have closed; the sweep makes every commission payable.
  serve(8);
  follow(partner);
  follow(pro);
  follow(admin);
  await_payable(partner, 3);
  await_payable(pro, 1);
  EXPECT_THAT(
      commissions(partner),
      UnorderedElementsAre("99.90 CNY L1 payable", "99.90 CNY L1 payable", "49.95 CNY L2 payable"));
  EXPECT_THAT(commissions(pro), ElementsAre("99.90 CNY L1 payable"));
  EXPECT_THAT(json(partner, "/api/partner")["payable"].dump(), HasSubstr("249.75 CNY"));

  // The funnel over the walk's days shows what the walk did: four browsers came (two by partner
  // links) and signed up; three bought for the first time (the partner programme, two entry
  // fees); the professional bought twice more (the renewal, the partner programme); the
  // professional's three purchases and the colleague's entry count as referred; the ladder holds
  // two partners, a member (the colleague) and a fan (the admin).
  EXPECT_EQ(partner.get("/api/funnel").status, 403);  // not an admin
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
  EXPECT_EQ(funnel["steps"]["industry.applications"], 2);  // the professional's, the colleague's
  expect_ledger_checks();
}

// Issue 5, acceptance 3: a pending and then a rejected applicant cannot buy the members' offers
// anywhere (403 from the plugin's pages and from POST /api/orders) and no order is made; the
// rejection's reason is shown to them; applying again and being approved lets them buy.
TEST_F(PrClubWalk, PendingOrRejectedApplicantIsRefusedEveryMembersOfferAndNoOrderIsMade) {
  serve(0);
  HttpVisitor admin = sign_up(kAdmin);
  HttpVisitor applicant = sign_up("applicant@example.com");
  EXPECT_EQ(json(applicant, "/api/application")["state"], "");
  EXPECT_EQ(
      applicant.post_form("/apply", {{"company", "某公司"}, {"title", "经理"}, {"years", "3"}})
          .status,
      400);  // no proof
  EXPECT_EQ(
      applicant
          .post_form("/apply",
                     {{"company", "某公司"}, {"title", "经理"}, {"years", "很多"}, {"proof", "x"}})
          .status,
      400);  // years is a number
  ASSERT_EQ(apply(applicant, "星火公关").status, 303);
  EXPECT_EQ(json(applicant, "/api/application")["state"], "pending");
  EXPECT_EQ(apply(applicant, "星火公关").status, 409);  // one at a time

  // Pending: refused on every till, no order.
  EXPECT_EQ(refused_everywhere(applicant, "pending"), 5);
  EXPECT_EQ(orders_of(applicant), 0u);
  EXPECT_EQ(tags_of(applicant), sdk::Json::array());

  // Only an admin decides; a rejection needs a reason, which the applicant sees.
  EXPECT_EQ(decide(applicant, applicant, "approve", "").status, 403);  // not an admin
  EXPECT_THAT(admin.get("/admin/applications").body, HasSubstr("星火公关"));
  EXPECT_EQ(decide(admin, applicant, "reject", "").status, 400);
  EXPECT_EQ(decide(admin, applicant, "reject", "证明材料无法核实").status, 303);
  const sdk::Json application = json(applicant, "/api/application");
  EXPECT_EQ(application["state"], "rejected");
  EXPECT_EQ(application["reason"], "证明材料无法核实");
  EXPECT_EQ(application["verified"], false);
  EXPECT_THAT(applicant.get("/apply").body, HasSubstr("证明材料无法核实"));
  EXPECT_EQ(decide(admin, applicant, "approve", "").status, 409);  // decided already

  // Rejected: refused on every till, no order, no tag.
  EXPECT_EQ(refused_everywhere(applicant, "rejected"), 5);
  EXPECT_EQ(orders_of(applicant), 0u);
  EXPECT_EQ(tags_of(applicant), sdk::Json::array());
  // A rejected member may not post on the board either.
  EXPECT_EQ(applicant
                .post_form("/board", {{"kind", "job"},
                                      {"title", "招聘"},
                                      {"city", "上海"},
                                      {"role", "公关"},
                                      {"description", "x"}})
                .status,
            403);

  // Applies again and is approved: now the entry fee and a class sell.
  ASSERT_EQ(apply(applicant, "星火公关").status, 303);
  EXPECT_EQ(json(applicant, "/api/application")["reason"], "");
  ASSERT_EQ(decide(admin, applicant, "approve", "").status, 303);
  EXPECT_EQ(tags_of(applicant), sdk::Json({"verified"}));
  const std::string entry = pay(applicant, "/join", "approved-entry");
  EXPECT_EQ(order_state(applicant, entry), "fulfilled");
  const std::string seat = pay(applicant, "/classes/crisis-2027-01/buy", "approved-class");
  EXPECT_EQ(order_state(applicant, seat), "fulfilled");
  const sdk::Json club = json(applicant, "/api/club");
  EXPECT_EQ(club["classes"][0]["has_seat"], true);
  EXPECT_EQ(club["classes"][0]["seats_left"], 39);
  EXPECT_EQ(api_order(applicant, "training-brand", "approved-api").status, 201);
  EXPECT_EQ(orders_of(applicant), 3u);
  // Another member, never verified, is still refused.
  HttpVisitor stranger = sign_up("stranger@example.com");
  EXPECT_EQ(api_order(stranger, "entry", "stranger").status, 403);
  EXPECT_EQ(orders_of(stranger), 0u);
  expect_ledger_checks();
}

// The board: verified members post jobs and resources tagged by city and role; a member who says
// they are in 上海 and do 公关 sees the posts sharing both first, then one, then none; filters by
// kind and tag; a contact is recorded once and its poster sees who asked.
TEST_F(PrClubWalk, BoardRanksPostsSharingTheMembersTagsFirstAndShowsThePosterWhoAsked) {
  serve(0);
  HttpVisitor admin = sign_up(kAdmin);
  HttpVisitor poster = sign_up("poster@example.com");
  apply_and_approve(poster, admin, "蓝莓传播");
  auto post = [&](const std::string& kind, const std::string& title, const std::string& city,
                  const std::string& role) {
    const HttpReply reply = poster.post_form("/board", {{"kind", kind},
                                                        {"title", title},
                                                        {"city", city},
                                                        {"role", role},
                                                        {"description", title + "的详情"}});
    EXPECT_EQ(reply.status, 303) << reply.body;
  };
  post("job", "上海公关经理", "上海", "公关");
  post("resource", "北京公关资源", "北京", "公关");
  post("job", "深圳创意总监", "深圳", "创意");
  post("resource", "上海媒介资源", "上海", "媒介");
  EXPECT_EQ(
      poster.post_form("/board", {{"kind", "event"}, {"title", "x"}, {"description", "y"}}).status,
      400);
  EXPECT_EQ(
      poster
          .post_form("/board",
                     {{"kind", "job"}, {"title", "x"}, {"city", "上 海"}, {"description", "y"}})
          .status,
      400);

  HttpVisitor seeker = sign_up("seeker@example.com");
  const HttpReply chosen =
      seeker.post_json("/api/me/tags", R"({"tags": ["city:上海", "role:公关"]})");
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  auto titles = [&](HttpVisitor& browser, const std::string& path) {
    std::vector<std::string> list;
    const sdk::Json board = json(browser, path);  // outlives the loop
    for (const auto& item : board["posts"]) list.push_back(item["title"]);
    return list;
  };
  const std::vector<std::string> ranked = titles(seeker, "/api/board");
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0], "上海公关经理");  // shares both tags
  EXPECT_THAT(std::vector<std::string>(ranked.begin() + 1, ranked.begin() + 3),
              UnorderedElementsAre("北京公关资源", "上海媒介资源"));  // one each
  EXPECT_EQ(ranked[3], "深圳创意总监");                               // none
  const sdk::Json first = json(seeker, "/api/board")["posts"][0];
  EXPECT_EQ(first["shared"], sdk::Json({"city:上海", "role:公关"}));
  EXPECT_EQ(first["matched"], true);
  // Another member in 深圳 doing 创意 sees that post first.
  HttpVisitor creative = sign_up("creative@example.com");
  ASSERT_EQ(creative.post_json("/api/me/tags", R"({"tags": ["city:深圳", "role:创意"]})").status,
            200);
  EXPECT_EQ(titles(creative, "/api/board")[0], "深圳创意总监");
  // Filters.
  EXPECT_THAT(titles(seeker, "/api/board?kind=resource"),
              UnorderedElementsAre("北京公关资源", "上海媒介资源"));
  EXPECT_THAT(titles(seeker, "/api/board?tag=city:%E4%B8%8A%E6%B5%B7"),
              ElementsAre("上海公关经理", "上海媒介资源"));
  const HttpReply page = seeker.get("/board");
  EXPECT_EQ(page.status, 200);
  EXPECT_LT(page.body.find("上海公关经理"), page.body.find("深圳创意总监"));
  EXPECT_THAT(page.body, HasSubstr("与你匹配"));
  EXPECT_THAT(page.body, Not(HasSubstr("name=\"kind\"")));  // no post form for the unverified
  // Only verified members post.
  EXPECT_EQ(
      seeker.post_form("/board", {{"kind", "job"}, {"title", "x"}, {"description", "y"}}).status,
      403);

  // The seeker contacts the first post (twice: recorded once); the poster sees who asked.
  const std::string id = first["id"];
  EXPECT_EQ(seeker.post_form("/board/" + id + "/contact", {{"message", "想了解这个职位"}}).status,
            303);
  EXPECT_EQ(seeker.post_form("/board/" + id + "/contact", {{"message", "再问一次"}}).status, 303);
  EXPECT_EQ(seeker.post_form("/board/nope/contact", {{"message", "x"}}).status, 404);
  EXPECT_EQ(poster.post_form("/board/" + id + "/contact", {{"message", "x"}}).status, 409);
  EXPECT_EQ(json(seeker, "/api/board")["posts"][0]["asked"], true);
  EXPECT_FALSE(json(seeker, "/api/board")["posts"][0].contains("contacts"));  // poster only
  const sdk::Json mine = json(poster, "/api/board/mine");
  ASSERT_EQ(mine["posts"].size(), 4u);
  int asked = 0;
  for (const auto& item : mine["posts"]) {
    if (item["id"] != id) {
      EXPECT_TRUE(item["contacts"].empty()) << item.dump();
      continue;
    }
    ASSERT_EQ(item["contacts"].size(), 1u);
    EXPECT_EQ(item["contacts"][0]["email"], "seeker@example.com");
    EXPECT_EQ(item["contacts"][0]["message"], "想了解这个职位");
    ++asked;
  }
  EXPECT_EQ(asked, 1);
  EXPECT_THAT(poster.get("/board").body, HasSubstr("seeker@example.com: 想了解这个职位"));
  EXPECT_THAT(creative.get("/board").body, Not(HasSubstr("seeker@example.com")));
  expect_ledger_checks();
}

}  // namespace
}  // namespace tribe::industry
