// A joint offer between two demo sites of one instance, over HTTP against a real `tribe serve`:
// the reading club's 联名年卡 is paid once on the club, grants the club's membership, and is
// claimed on the knowledge channel by the buyer's account there; the channel's 40% share shows
// in both sites' ledgers, and a refund takes back both the share and the channel's grant.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "child_process.hpp"
#include "http_client.hpp"
#include "kernel/money/ledger.hpp"
#include "kernel/store/database.hpp"
#include "site_walk.hpp"

namespace tribe::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::int64_t kPrice = 29900;
constexpr std::int64_t kShare = 11960;  // 40%

class JointOfferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tribe-joint-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sites");
    for (const char* site : {"reading-club", "knowledge-channel"}) {
      fs::copy_file(fs::path(TRIBE_SOURCE_DIR) / "sites" / (std::string(site) + ".yaml"),
                    dir_ / "sites" / (std::string(site) + ".yaml"));
    }
    server_ = std::make_unique<ServedTribe>(
        std::vector<std::string>{"--sites", (dir_ / "sites").string(), "--db", database_url(),
                                 "--plugin-dir", TRIBE_PLUGIN_DIR});
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  std::string database_url() const { return "sqlite:" + (dir_ / "tribe.db").string(); }

  HttpVisitor sign_up(const std::string& site, const std::string& email) {
    HttpVisitor browser(server_->port(), site + ".localhost");
    browser.get("/signup");
    const HttpReply reply =
        browser.post_form("/signup", {{"email", email}, {"password", "correct horse battery"}});
    EXPECT_EQ(reply.status, 303) << reply.body;
    return browser;
  }

  std::int64_t balance(const std::string& site, const std::string& account) const {
    auto database = kernel::store::Database::open(database_url(), 1);
    return kernel::money::Ledger(*database).balance(site, account, "CNY");
  }

  static bool has_entitlement(HttpVisitor& browser, const std::string& key) {
    const sdk::Json account = get_json(browser, "/api/account");
    for (const auto& entitlement : account.value("entitlements", sdk::Json::array())) {
      if (entitlement.value("key", "") == key && entitlement.value("active", false)) return true;
    }
    return false;
  }

  fs::path dir_;
  std::unique_ptr<ServedTribe> server_;
};

TEST_F(JointOfferTest, OnePaymentGrantsOnBothSitesAndSplitsTheRevenueInBothLedgers) {
  HttpVisitor buyer = sign_up("reading-club", "reader@example.com");
  EXPECT_THAT(buyer.get("/offers").body, HasSubstr("联名年卡"));
  const HttpReply created = buyer.post_json(
      "/api/orders", sdk::Json{{"offer", "joint-card"}, {"idempotency_key", "joint-1"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string order = sdk::Json::parse(created.body)["id"];
  EXPECT_EQ(buyer.get("/checkout/" + order).status, 200);
  EXPECT_EQ(buyer.post_form("/checkout/" + order + "/pay", {}).status, 303);  // the one payment
  EXPECT_EQ(order_state(buyer, order), "fulfilled");
  EXPECT_TRUE(has_entitlement(buyer, "member"));

  // One payment: the club keeps 60%, the channel's 40% is owed to it and is its revenue.
  EXPECT_EQ(balance("reading-club", "site:revenue"), -(kPrice - kShare));
  EXPECT_EQ(balance("reading-club", "joint:owed:knowledge-channel"), -kShare);
  EXPECT_EQ(balance("knowledge-channel", "joint:due:reading-club"), kShare);
  EXPECT_EQ(balance("knowledge-channel", "site:revenue"), -kShare);

  // The buyer claims on the channel with the account they have there.
  const sdk::Json claims = get_json(buyer, "/api/joint")["claims"];
  ASSERT_EQ(claims.size(), 1u) << claims.dump();
  EXPECT_EQ(claims[0]["state"], "open");
  const std::string claim_path = claims[0]["claim_path"];
  const std::string on_channel = claim_path.substr(claim_path.find("/joint/"));
  HttpVisitor listener = sign_up("knowledge-channel", "reader@example.com");
  EXPECT_FALSE(has_entitlement(listener, "member"));
  EXPECT_THAT(listener.get(on_channel).body, HasSubstr("联名年卡"));
  EXPECT_EQ(listener.post_form(on_channel, {}).status, 303);
  EXPECT_TRUE(has_entitlement(listener, "member"));
  EXPECT_EQ(listener.post_form(on_channel, {}).status, 303);  // again: nothing changes
  EXPECT_EQ(get_json(buyer, "/api/joint")["claims"][0]["state"], "claimed");

  // The link claims once: another account on the channel gets 409 and nothing.
  HttpVisitor other = sign_up("knowledge-channel", "someone-else@example.com");
  EXPECT_EQ(other.post_form(on_channel, {}).status, 409);
  EXPECT_FALSE(has_entitlement(other, "member"));
  // The claim link is the channel's: the club does not know it.
  EXPECT_EQ(buyer.post_form(on_channel, {}).status, 404);

  // A refund on the club gives the share back in both ledgers and ends the channel's grant.
  HttpVisitor admin = sign_up("reading-club", "owner@reading-club.example");
  const HttpReply refunded = admin.post_form("/orders/" + order + "/refund", {});
  EXPECT_EQ(refunded.status, 303) << refunded.body;
  EXPECT_EQ(order_state(buyer, order), "refunded");
  EXPECT_FALSE(has_entitlement(listener, "member"));
  EXPECT_EQ(balance("reading-club", "joint:owed:knowledge-channel"), 0);
  EXPECT_EQ(balance("knowledge-channel", "joint:due:reading-club"), 0);
  EXPECT_EQ(balance("knowledge-channel", "site:revenue"), 0);

  server_.reset();
  const CommandResult check =
      run_command(tribe_binary(), {"ledger", "check", "--db", database_url()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(JointOfferTest, AJointOfferWhosePartnerIsNotServedIsNotSold) {
  server_.reset();
  fs::remove(dir_ / "sites" / "knowledge-channel.yaml");
  server_ = std::make_unique<ServedTribe>(
      std::vector<std::string>{"--sites", (dir_ / "sites").string(), "--db", database_url(),
                               "--plugin-dir", TRIBE_PLUGIN_DIR});
  HttpVisitor buyer = sign_up("reading-club", "reader@example.com");
  EXPECT_THAT(buyer.get("/offers").body, ::testing::Not(HasSubstr("联名年卡")));
  const HttpReply refused = buyer.post_json(
      "/api/orders", sdk::Json{{"offer", "joint-card"}, {"idempotency_key", "j"}}.dump());
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body,
              HasSubstr("联名年卡: 联名产品的合作站点不在本实例上运行: knowledge-channel"));
}

}  // namespace
}  // namespace tribe::testing
