// The customer ladder on the backend this executable links (SQLite files or a real PostgreSQL).
#include "kernel/identity/ladder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "kernel/identity/accounts.hpp"
#include "kernel/store/tests/test_database.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::identity {
namespace {

using std::chrono::seconds;
const auto t0 = store::from_unix_seconds(1'800'000'000);

class LadderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = store::testing::fresh_database_url();
    database_ = store::Database::open(url_, 4);
    AccountBook(*database_).migrate();
    ladder_ = std::make_unique<Ladder>(*database_);
  }
  void TearDown() override {
    ladder_.reset();
    database_.reset();
    store::testing::discard_database(url_);
  }

  std::vector<std::string> history(const std::string& account) {
    std::vector<std::string> lines;
    for (const auto& step : ladder_->history("club", account)) {
      lines.push_back(to_string(step.stage) + " " +
                      std::to_string(store::unix_seconds(step.reached_at) - 1'800'000'000) + " " +
                      step.reason);
    }
    return lines;
  }

  std::string url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<Ladder> ladder_;
};

TEST_F(LadderTest, PeopleClimbAndTheHistoryKeepsEachStep) {
  EXPECT_EQ(ladder_->stage_of("club", "ann"), Stage::Visitor);
  EXPECT_TRUE(ladder_->climb("club", "ann", Stage::Fan, "sign-up", t0));
  EXPECT_TRUE(
      ladder_->climb("club", "ann", Stage::Member, "order o1 (membership)", t0 + seconds(60)));
  EXPECT_EQ(ladder_->stage_of("club", "ann"), Stage::Member);
  EXPECT_THAT(history("ann"),
              ::testing::ElementsAre("fan 0 sign-up", "member 60 order o1 (membership)"));
}

TEST_F(LadderTest, NobodyStepsDownOrRepeatsAStep) {
  ladder_->climb("club", "bob", Stage::Partner, "order o2 (partner)", t0);
  EXPECT_FALSE(
      ladder_->climb("club", "bob", Stage::Member, "order o3 (membership)", t0 + seconds(5)));
  EXPECT_FALSE(
      ladder_->climb("club", "bob", Stage::Partner, "order o4 (partner)", t0 + seconds(9)));
  EXPECT_EQ(ladder_->stage_of("club", "bob"), Stage::Partner);
  EXPECT_THAT(history("bob"), ::testing::ElementsAre("partner 0 order o2 (partner)"));
}

TEST_F(LadderTest, AClimbInsideARolledBackTransactionLeavesNothing) {
  {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    EXPECT_TRUE(ladder_->climb_in(session, "club", "cy", Stage::Member, "order o5", t0));
  }
  EXPECT_EQ(ladder_->stage_of("club", "cy"), Stage::Visitor);
  EXPECT_TRUE(history("cy").empty());
}

TEST_F(LadderTest, CountsArePerSite) {
  ladder_->climb("club", "a", Stage::Fan, "sign-up", t0);
  ladder_->climb("club", "b", Stage::Fan, "sign-up", t0);
  ladder_->climb("club", "c", Stage::Member, "order", t0);
  ladder_->climb("other", "d", Stage::Partner, "order", t0);
  const auto counts = ladder_->counts("club");
  EXPECT_EQ(counts.at(Stage::Fan), 2);
  EXPECT_EQ(counts.at(Stage::Member), 1);
  EXPECT_EQ(counts.at(Stage::Partner), 0);
  EXPECT_EQ(ladder_->stage_of("other", "c"), Stage::Visitor);
}

TEST_F(LadderTest, StageNamesRoundTrip) {
  for (Stage stage : {Stage::Visitor, Stage::Fan, Stage::Member, Stage::Partner}) {
    EXPECT_EQ(stage_from_string(to_string(stage)), stage);
  }
  EXPECT_EQ(stage_from_string("vip"), std::nullopt);
}

}  // namespace
}  // namespace tribe::kernel::identity
