// The `offers`, `payments` and `admins` keys of a site file: read into plain data, and every
// mistake reported at its file:line:col.
#include "kernel/config/offers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "interest_schema.hpp"
#include "kernel/config/site_config.hpp"
#include "temp_directory.hpp"

namespace tribe::kernel::config {
namespace {

using ::testing::ElementsAre;

const char* kSite =
    "id: club\n"
    "name: Club\n"
    "type: interest\n";

class OfferLoading : public ::testing::Test {
 protected:
  std::optional<SiteConfig> load(const std::string& rest) {
    problems_.clear();
    Diagnostics out;
    auto site = SiteLoader(interest_inputs()).load(dir_.write("site.yaml", kSite + rest), out);
    sort_by_position(out);
    for (auto& diagnostic : out) {
      diagnostic.file = "site.yaml";
      problems_.push_back(diagnostic.to_string());
    }
    return site;
  }

  TempDirectory dir_;
  std::vector<std::string> problems_;
};

TEST_F(OfferLoading, ReadsEveryOfferField) {
  const auto site = load(
      "admins: [Owner@Club.Example]\n"
      "payments: {provider: sandbox, secret: s3cret}\n"
      "offers:\n"
      "  - id: membership\n"
      "    kind: membership\n"
      "    title: Annual membership\n"
      "    description: a year of reading\n"
      "    price: 36500\n"
      "    currency: CNY\n"
      "    capacity: 500\n"
      "    term: P1Y\n"
      "    trial_days: 7\n"
      "    grace_days: 3\n"
      "    grants: [member, library.read]\n"
      "    refund_window_days: 14\n"
      "    commission: [\"10%\", \"2.5%\"]\n"
      "  - {id: badge, kind: product, title: Badge, price: 0, currency: JPY}\n");
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  EXPECT_THAT(site->admins, ElementsAre("owner@club.example"));
  EXPECT_EQ(site->payments.provider, "sandbox");
  EXPECT_EQ(site->payments.secret, "s3cret");
  ASSERT_EQ(site->offers.size(), 2u);
  const sdk::Offer& offer = site->offers[0];
  EXPECT_EQ(offer.id, "membership");
  EXPECT_EQ(offer.kind, "membership");
  EXPECT_EQ(offer.title, "Annual membership");
  EXPECT_EQ(offer.description, "a year of reading");
  EXPECT_EQ(offer.price, 36500);
  EXPECT_EQ(offer.currency, "CNY");
  EXPECT_EQ(offer.capacity, 500);
  EXPECT_EQ(offer.term, "P1Y");
  EXPECT_EQ(offer.trial_days, 7);
  EXPECT_EQ(offer.grace_days, 3);
  EXPECT_THAT(offer.grants, ElementsAre("member", "library.read"));
  EXPECT_EQ(offer.refund_window_days, 14);
  EXPECT_THAT(offer.commission_basis_points, ElementsAre(1000, 250));
  EXPECT_EQ(site->offers[1].capacity, std::nullopt);
  EXPECT_EQ(site->offers[1].term, std::nullopt);
  EXPECT_EQ(site->offers[1].currency, "JPY");
}

TEST_F(OfferLoading, ReportsEachMistakeAtItsPosition) {
  EXPECT_FALSE(
      load("payments: {secret: x}\n"
           "offers:\n"
           "  - id: Gold Plan\n"
           "    kind: membership\n"
           "    title: Gold\n"
           "    price: -5\n"
           "    currency: rmb\n"
           "    capacity: 0\n"
           "    term: 1 year\n"
           "    commission: [\"10%\", \"ten\", \"120%\"]\n"
           "    grants: [Member Area]\n"
           "  - {id: gold-plan, kind: group, title: G, price: 1, currency: EUR, grace_days: 2}\n"
           "  - {id: gold-plan, kind: group, title: G, price: 1, currency: EUR, prize: 2}\n"
           "admins: [not-an-email]\n"));
  EXPECT_THAT(
      problems_,
      ElementsAre(
          "site.yaml:6:9: offers[0].id: offer id 'Gold Plan' must be lower-case letters, digits "
          "and '-'",
          "site.yaml:9:12: offers[0].price: a price cannot be negative",
          "site.yaml:10:15: offers[0].currency: 'rmb' is not an ISO 4217 currency code (three "
          "capital letters, e.g. CNY)",
          "site.yaml:11:15: offers[0].capacity: capacity must be at least 1; leave it out for no "
          "limit",
          "site.yaml:12:11: offers[0].term: '1 year' is not an ISO 8601 duration of years, months, "
          "weeks or days (P1Y, P6M, P2W, P30D)",
          "site.yaml:13:17: offers[0].commission: at most two referral levels are paid (found 3)",
          "site.yaml:13:25: offers[0].commission[1]: 'ten' is not a percentage between 0% and "
          "100% (e.g. \"10%\", \"2.5%\")",
          "site.yaml:13:32: offers[0].commission[2]: '120%' is not a percentage between 0% and "
          "100% (e.g. \"10%\", \"2.5%\")",
          "site.yaml:14:14: offers[0].grants[0]: entitlement key 'Member Area' must be lower-case "
          "letters, digits, '.', '_' and '-'",
          "site.yaml:15:81: offers[1].grace_days: trial and grace days need a term; add one (e.g. "
          "term: P1Y) or remove them",
          "site.yaml:16:69: offers[2].prize: unknown key 'prize'; did you mean 'price'?",
          "site.yaml:17:10: admins[0]: 'not-an-email' is not an email address"));
}

TEST_F(OfferLoading, SandboxNeedsASigningSecret) {
  EXPECT_FALSE(load("offers: [{id: a, kind: k, title: A, price: 1, currency: EUR}]\n"));
  EXPECT_THAT(problems_, ElementsAre("site.yaml:4:9: offers: the sandbox provider signs webhooks: "
                                     "give payments.secret or payments.secret_env"));
  EXPECT_TRUE(
      load("payments: {provider: manual}\n"
           "offers: [{id: a, kind: k, title: A, price: 1, currency: EUR}]\n"));
}

TEST_F(OfferLoading, SecretComesFromTheNamedEnvironmentVariable) {
  ::setenv("TRIBE_TEST_WEBHOOK_SECRET", "from-env", 1);
  auto site = load("payments: {secret_env: TRIBE_TEST_WEBHOOK_SECRET, secret: fallback}\n");
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  EXPECT_EQ(site->payments.secret, "from-env");
  ::unsetenv("TRIBE_TEST_WEBHOOK_SECRET");
  site = load("payments: {secret_env: TRIBE_TEST_WEBHOOK_SECRET, secret: fallback}\n");
  ASSERT_TRUE(site);
  EXPECT_EQ(site->payments.secret, "fallback");
  EXPECT_FALSE(load("payments: {secret_env: TRIBE_TEST_WEBHOOK_SECRET}\n"));
  EXPECT_THAT(problems_, ElementsAre("site.yaml:4:24: payments.secret_env: environment variable "
                                     "TRIBE_TEST_WEBHOOK_SECRET is not set; set it to the webhook "
                                     "signing secret"));
}

TEST_F(OfferLoading, LadderNamesOffersOfTheSite) {
  const std::string offers =
      "payments: {provider: manual}\n"
      "offers:\n"
      "  - {id: membership, kind: membership, title: M, price: 100, currency: EUR, grants: "
      "[member]}\n"
      "  - {id: partner, kind: partner, title: P, price: 900, currency: EUR}\n";
  auto site = load(offers);
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  EXPECT_THAT(site->ladder.member_offers, ElementsAre("membership"));  // the default
  EXPECT_TRUE(site->ladder.partner_offers.empty());

  site = load(offers + "ladder: {member: [membership, partner], partner: [partner]}\n");
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  EXPECT_THAT(site->ladder.member_offers, ElementsAre("membership", "partner"));
  EXPECT_THAT(site->ladder.partner_offers, ElementsAre("partner"));

  EXPECT_FALSE(load(offers + "ladder: {partner: [partners]}\n"));
  EXPECT_THAT(problems_, ElementsAre("site.yaml:8:20: ladder.partner[0]: no offer 'partners' on "
                                     "this site; did you mean 'partner'?"));
}

TEST_F(OfferLoading, ReferralRulesHaveDefaults) {
  auto site = load("");
  ASSERT_TRUE(site);
  EXPECT_EQ(site->referral.window_days, 30);
  EXPECT_EQ(site->referral.after_window, "keep");
  site = load("referral: {window_days: 7, after_window: claw_back}\n");
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  EXPECT_EQ(site->referral.window_days, 7);
  EXPECT_EQ(site->referral.after_window, "claw_back");
  EXPECT_FALSE(load("referral: {window_days: 0, after_window: never}\n"));
  EXPECT_THAT(problems_,
              ElementsAre("site.yaml:4:25: referral.window_days: window_days must be between 1 "
                          "and 3650",
                          "site.yaml:4:42: referral.after_window: 'never' is not one of: keep, "
                          "claw_back"));
}

TEST(Percentages, ParseToBasisPoints) {
  EXPECT_EQ(percent_to_basis_points("10%"), 1000);
  EXPECT_EQ(percent_to_basis_points("2.5%"), 250);
  EXPECT_EQ(percent_to_basis_points("0.05%"), 5);
  EXPECT_EQ(percent_to_basis_points("100%"), 10000);
  EXPECT_EQ(percent_to_basis_points("100.01%"), std::nullopt);
  EXPECT_EQ(percent_to_basis_points("10"), std::nullopt);
  EXPECT_EQ(percent_to_basis_points("-1%"), std::nullopt);
  EXPECT_EQ(percent_to_basis_points("1.234%"), std::nullopt);
}

TEST(Durations, AcceptDateDurationsOnly) {
  for (const char* good : {"P1Y", "P6M", "P2W", "P30D", "P1Y6M"})
    EXPECT_TRUE(is_date_duration(good));
  for (const char* bad : {"P", "1Y", "PT1H", "P1.5Y", "p1y", ""})
    EXPECT_FALSE(is_date_duration(bad));
}

TEST_F(OfferLoading, ReadsDepositsAndEscrow) {
  const auto site = load(
      "payments: {secret: x}\n"
      "offers:\n"
      "  - {id: camp, kind: challenge, title: C, price: 9900, currency: CNY, holds: deposit,\n"
      "     forfeit_to: \"site:charity\"}\n"
      "  - {id: film, kind: pledge, title: F, price: 5000, currency: CNY, holds: escrow,\n"
      "     fee: \"5%\"}\n"
      "  - {id: book, kind: product, title: B, price: 100, currency: CNY}\n");
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  ASSERT_EQ(site->offers.size(), 3u);
  EXPECT_EQ(site->offers[0].holds, "deposit");
  EXPECT_EQ(site->offers[0].forfeit_to, "site:charity");
  EXPECT_EQ(site->offers[1].holds, "escrow");
  EXPECT_EQ(site->offers[1].fee_basis_points, 500);
  EXPECT_EQ(site->offers[2].holds, "");
  EXPECT_EQ(site->offers[2].forfeit_to, "site:revenue");  // the default
}

TEST_F(OfferLoading, ReportsHoldingMistakesAtTheirPositions) {
  EXPECT_FALSE(load(
      "payments: {secret: x}\n"
      "offers:\n"
      "  - {id: a, kind: k, title: A, price: 1, currency: EUR, holds: refund}\n"
      "  - {id: b, kind: k, title: B, price: 1, currency: EUR, holds: deposit, term: P1M}\n"
      "  - {id: c, kind: k, title: C, price: 1, currency: EUR, holds: deposit, forfeit_to: bank}\n"
      "  - {id: d, kind: k, title: D, price: 1, currency: EUR, forfeit_to: \"site:x\"}\n"
      "  - {id: e, kind: k, title: E, price: 1, currency: EUR, holds: escrow, fee: lots}\n"
      "  - {id: f, kind: k, title: F, price: 1, currency: EUR, holds: deposit, fee: \"5%\"}\n"));
  EXPECT_THAT(
      problems_,
      ElementsAre(
          "site.yaml:6:64: offers[0].holds: 'refund' is not one of: deposit, escrow",
          "site.yaml:7:64: offers[1].holds: an offer that holds money is one-time; remove its term",
          "site.yaml:8:85: offers[2].forfeit_to: 'bank' is not a site account; use "
          "'site:<name>', e.g. site:revenue or site:charity",
          "site.yaml:9:69: offers[3].forfeit_to: forfeit_to needs holds: deposit",
          "site.yaml:10:77: offers[4].fee: 'lots' is not a percentage between 0% and 100% (e.g. "
          "\"5%\")",
          "site.yaml:11:78: offers[5].fee: fee needs holds: escrow"));
}

TEST_F(OfferLoading, ReadsTagsAndWhoMayBuyEachOffer) {
  const auto site = load(
      "payments: {provider: manual}\n"
      "tags:\n"
      "  city: [上海, 北京]\n"
      "  role: [founder, investor]\n"
      "offers:\n"
      "  - {id: dinner, kind: ticket, title: D, price: 1, currency: CNY,\n"
      "     requires_tags: [verified, \"role:founder\"]}\n"
      "  - {id: intro, kind: intro, title: I, price: 1, currency: CNY, sold_by: plugin}\n"
      "  - {id: book, kind: product, title: B, price: 1, currency: CNY, sold_by: site}\n");
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  EXPECT_THAT(site->tags.groups.at("city"), ElementsAre("上海", "北京"));
  EXPECT_TRUE(site->tags.offers("role:investor"));
  EXPECT_FALSE(site->tags.offers("role:king"));
  EXPECT_FALSE(site->tags.offers("verified"));
  EXPECT_TRUE(site->tags.owns("role:king"));  // a role, which the member's own choice replaces
  EXPECT_FALSE(site->tags.owns("verified"));
  EXPECT_THAT(site->offer_sales.at("dinner").requires_tags,
              ElementsAre("verified", "role:founder"));
  EXPECT_FALSE(site->offer_sales.at("dinner").plugin_only);
  EXPECT_TRUE(site->offer_sales.at("intro").plugin_only);
  EXPECT_EQ(site->offer_sales.count("book"), 0u);
}

TEST_F(OfferLoading, ReportsTagMistakesAtTheirPositions) {
  EXPECT_FALSE(
      load("payments: {provider: manual}\n"
           "tags:\n"
           "  City: [上海]\n"
           "  role: [founder, founder, \"two words\"]\n"
           "offers:\n"
           "  - {id: a, kind: k, title: A, price: 1, currency: CNY, requires_tags: [Verified]}\n"
           "  - {id: b, kind: k, title: B, price: 1, currency: CNY, sold_by: plugins}\n"));
  EXPECT_THAT(
      problems_,
      ElementsAre("site.yaml:6:3: tags.City: 'City' is not a tag: it starts with a group of "
                  "lower-case letters, digits, '_' and '-' (e.g. city:上海, role:investor, "
                  "verified)",
                  "site.yaml:7:19: tags.role[1]: 'founder' is listed twice",
                  "site.yaml:7:28: tags.role[2]: the value of tag 'role:two words' cannot contain "
                  "spaces, commas or ':'",
                  "site.yaml:9:73: offers[0].requires_tags[0]: 'Verified' is not a tag: it starts "
                  "with a group of lower-case letters, digits, '_' and '-' (e.g. city:上海, "
                  "role:investor, verified)",
                  "site.yaml:10:66: offers[1].sold_by: 'plugins' is not one of: site, plugin"));
}

TEST_F(OfferLoading, ReadsReferralCouponsAndReportsTheirMistakes) {
  EXPECT_FALSE(
      load("payments: {provider: manual}\n"
           "offers:\n"
           "  - {id: a, kind: k, title: A, price: 1000, currency: CNY, referral_coupon: 200}\n"
           "  - {id: b, kind: k, title: B, price: 1000, currency: CNY, referral_coupon: 1000}\n"
           "  - {id: c, kind: k, title: C, price: 1000, currency: CNY, referral_coupon: 0}\n"
           "  - {id: d, kind: k, title: D, price: 1000, currency: CNY, holds: deposit, "
           "referral_coupon: 100}\n"));
  EXPECT_THAT(problems_,
              ElementsAre("site.yaml:7:77: offers[1].referral_coupon: a referral coupon of 1000 "
                          "takes the whole price (1000) off; an order must still cost something",
                          "site.yaml:8:77: offers[2].referral_coupon: a referral coupon takes at "
                          "least 1 minor unit off; leave it out for none",
                          "site.yaml:9:93: offers[3].referral_coupon: an offer that holds money "
                          "cannot have a referral coupon: what is held is the price"));
  const auto site = load(
      "payments: {provider: manual}\n"
      "offers:\n"
      "  - {id: a, kind: k, title: A, price: 1000, currency: CNY, referral_coupon: 200}\n"
      "  - {id: b, kind: k, title: B, price: 1000, currency: CNY}\n");
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  EXPECT_EQ(site->offer_sales.at("a").referral_coupon, 200);
  EXPECT_FALSE(site->offer_sales.at("a").plugin_only);
  EXPECT_EQ(site->offer_sales.count("b"), 0u);
}

TEST_F(OfferLoading, ReadsJointOffersAndReportsTheirMistakes) {
  const auto site = load(
      "payments: {provider: manual}\n"
      "offers:\n"
      "  - {id: card, kind: bundle, title: C, price: 29900, currency: CNY, term: P1Y,\n"
      "     joint: {site: channel, grants: [member, notes.read], share: \"40%\"}}\n");
  ASSERT_TRUE(site) << ::testing::PrintToString(problems_);
  const JointOffer& joint = site->joint_offers.at("card");
  EXPECT_EQ(joint.site, "channel");
  EXPECT_THAT(joint.grants, ElementsAre("member", "notes.read"));
  EXPECT_EQ(joint.share_basis_points, 4000);

  EXPECT_FALSE(
      load("payments: {provider: manual}\n"
           "offers:\n"
           "  - {id: a, kind: k, title: A, price: 1, currency: CNY,\n"
           "     joint: {site: club, grants: [Member], share: \"0%\"}}\n"
           "  - {id: b, kind: k, title: B, price: 1, currency: CNY, holds: deposit,\n"
           "     joint: {site: other, grants: [x], share: \"10%\"}}\n"
           "  - {id: c, kind: k, title: C, price: 1, currency: CNY, joint: {site: other}}\n"));
  EXPECT_THAT(
      problems_,
      ElementsAre(
          "site.yaml:7:20: offers[0].joint.site: a joint offer's partner is another site of the "
          "instance, not this one",
          "site.yaml:7:35: offers[0].joint.grants[0]: entitlement key 'Member' must be lower-case "
          "letters, digits, '.', '_' and '-'",
          "site.yaml:7:51: offers[0].joint.share: '0%' is not a percentage above 0% and at most "
          "100% (e.g. \"40%\")",
          "site.yaml:9:13: offers[1].joint: an offer that holds money cannot be a joint offer",
          "site.yaml:10:64: offers[2].joint.grants: missing required key 'grants'",
          "site.yaml:10:64: offers[2].joint.share: missing required key 'share'"));
}

}  // namespace
}  // namespace tribe::kernel::config
