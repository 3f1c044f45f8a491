// Points earned and spent in the ledger on the backend this executable links: once per key,
// never below zero, also when spends race.
#include "kernel/money/points.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "kernel/money/tests/money_fixture.hpp"
#include "kernel/money/tests/run_together.hpp"

namespace tribe::kernel::money::testing {
namespace {

using ::testing::Each;
using ::testing::HasSubstr;

class PointsTest : public MoneyTest {
 protected:
  void SetUp() override {
    MoneyTest::SetUp();
    points_ = std::make_unique<PointsBook>(*database_);
  }
  void TearDown() override {
    points_.reset();
    MoneyTest::TearDown();
  }

  std::int64_t issued(const std::string& tenant = "acme") {
    return ledger_->balance(tenant, "site:points", kPointsCurrency);
  }

  std::unique_ptr<PointsBook> points_;
};

TEST_F(PointsTest, PointsAreEarnedAndSpentOncePerKey) {
  EXPECT_EQ(points_->balance("acme", "42"), 0);
  EXPECT_TRUE(points_->award("acme", "42", 120, "signup:42", "signed up"));
  EXPECT_FALSE(points_->award("acme", "42", 120, "signup:42", "signed up"));  // a retry
  EXPECT_TRUE(points_->award("acme", "42", 30, "order:o1", "order o1"));
  EXPECT_EQ(points_->balance("acme", "42"), 150);
  EXPECT_TRUE(points_->spend("acme", "42", 100, "reward:mug:1", "a mug"));
  EXPECT_FALSE(points_->spend("acme", "42", 100, "reward:mug:1", "a mug"));
  EXPECT_EQ(points_->balance("acme", "42"), 50);
  EXPECT_EQ(issued(), 50);  // what members hold is what the site has issued and not taken back
  EXPECT_EQ(points_->balance("globex", "42"), 0);  // another site's ledger
}

TEST_F(PointsTest, ASpendBeyondTheBalanceSpendsNothing) {
  points_->award("acme", "42", 40, "checkin:1", "check-in");
  try {
    points_->spend("acme", "42", 41, "reward:book", "a book");
    FAIL() << "spent more points than held";
  } catch (const NotEnoughPoints& e) {
    EXPECT_THAT(e.what(), HasSubstr("40 held, 41 needed"));
  }
  EXPECT_EQ(points_->balance("acme", "42"), 40);
  // The key was not used up by the refusal.
  points_->award("acme", "42", 1, "checkin:2", "check-in");
  EXPECT_TRUE(points_->spend("acme", "42", 41, "reward:book", "a book"));
  EXPECT_EQ(points_->balance("acme", "42"), 0);
}

TEST_F(PointsTest, BadAmountsKeysAndReusedKeysAreRefused) {
  EXPECT_THROW(points_->award("acme", "42", 0, "k", "zero"), MoneyError);
  EXPECT_THROW(points_->award("acme", "42", -5, "k", "negative"), MoneyError);
  EXPECT_THROW(points_->award("acme", "42", 1'000'000'001, "k", "too many"), MoneyError);
  EXPECT_THROW(points_->award("acme", "42", 5, "", "no key"), MoneyError);
  EXPECT_THROW(points_->award("acme", "42", 5, std::string(201, 'k'), "long key"), MoneyError);
  points_->award("acme", "42", 5, "k", "five");
  EXPECT_THROW(points_->award("acme", "42", 6, "k", "six"), LedgerConflict);
  EXPECT_THROW(points_->spend("acme", "42", 5, "k", "five back"), LedgerConflict);
  EXPECT_EQ(points_->balance("acme", "42"), 5);
}

TEST_F(PointsTest, RacingSpendsNeverOverdraw) {
  points_->award("acme", "42", 100, "grant", "a hundred");
  std::atomic<int> spent = 0;
  const auto failures = run_together(20, [&](int t) {
    if (points_->spend("acme", "42", 10, "race:" + std::to_string(t), "race")) ++spent;
  });
  EXPECT_EQ(spent.load(), 10);
  EXPECT_EQ(failures.size(), 10u);
  EXPECT_THAT(failures, Each(HasSubstr("not enough points")));
  EXPECT_EQ(points_->balance("acme", "42"), 0);
  EXPECT_EQ(issued(), 0);
}

}  // namespace
}  // namespace tribe::kernel::money::testing
