// The funnel's counts over a day range, on SQLite and PostgreSQL: each count read from the rows a
// walk of the site leaves (accounts, referrals, paid orders, the ladder, counted visits).
#include "kernel/money/funnel.hpp"

#include "kernel/identity/identity_schema.hpp"
#include "kernel/money/tests/money_fixture.hpp"

namespace tribe::kernel::money {
namespace {

using testing::Clock;
using testing::kNoon;
using testing::MoneyTest;

constexpr std::int64_t kDay = 86400;

class FunnelTest : public MoneyTest {
 protected:
  void SetUp() override {
    MoneyTest::SetUp();
    database_->migrate("kernel.identity", identity::identity_migrations());
    funnel_ = std::make_unique<Funnel>(*database_);
  }

  // Day 0 is the UTC day of kNoon (2027-01-15).
  static std::string day(int offset) { return utc_day(kNoon + std::chrono::days(offset)); }

  void sign_up(const std::string& account, int on_day) {
    run_raw(
        "INSERT INTO tribe_accounts (tenant_id, account_id, email, display_name,"
        " password_hash, created_at) VALUES ('acme', '" +
        account + "', '" + account + "@example.com', '" + account + "', 'x', '" + day(on_day) +
        "T09:00:00Z')");
  }

  void refer(const std::string& account, const std::string& partner, int on_day) {
    run_raw(
        "INSERT INTO tribe_referrals (tenant_id, account_id, partner_account_id, bound_at)"
        " VALUES ('acme', '" +
        account + "', '" + partner + "', " + std::to_string(1'800'000'000 + on_day * kDay) + ")");
  }

  void buy(const std::string& key, const std::string& account, int on_day) {
    const Clock::time_point at = kNoon + std::chrono::days(on_day);
    const Order order = create(request(key, account), at);
    ASSERT_EQ(
        payments_
            ->apply("acme", {"sandbox", "evt-" + key, "payment.succeeded", order.id, order.amount},
                    at)
            .applied,
        Applied::Applied);
  }

  std::unique_ptr<Funnel> funnel_;
};

TEST_F(FunnelTest, CountsEachStepOfTheLoopInsideTheRangeOnly) {
  sign_up("partner", 0);
  sign_up("ann", 1);
  sign_up("bob", 2);
  sign_up("late", 10);  // outside the range below
  refer("ann", "partner", 1);
  buy("p1", "partner", 0);
  buy("a1", "ann", 1);
  buy("a2", "ann", 3);  // ann buys again
  buy("b1", "bob", 2);
  buy("l1", "late", 10);  // outside
  run_raw(
      "INSERT INTO tribe_referral_touches (tenant_id, visitor_id, partner_account_id,"
      " touched_at) VALUES ('acme', 'v1', 'partner', " +
      std::to_string(1'800'000'000 + kDay) + ")");
  run_raw(
      "INSERT INTO tribe_ladder (tenant_id, account_id, stage, since) VALUES"
      " ('acme', 'partner', 'partner', 0), ('acme', 'ann', 'member', 0),"
      " ('acme', 'bob', 'member', 0), ('acme', 'late', 'fan', 0)");
  VisitTally visits;
  visits.count("acme", kNoon);
  visits.count("acme", kNoon + std::chrono::days(1));
  visits.count("acme", kNoon + std::chrono::days(1));
  visits.count("globex", kNoon);  // another site's
  visits.flush(*funnel_);
  visits.flush(*funnel_);  // nothing counted since: adds nothing

  const sdk::Json counts = funnel_->of("acme", day_range(day(0), day(5)));
  EXPECT_EQ(counts["acquire"]["visits"], 3) << counts.dump();
  EXPECT_EQ(counts["acquire"]["referral_arrivals"], 1);
  EXPECT_EQ(counts["acquire"]["sign_ups"], 3);
  EXPECT_EQ(counts["convert"]["first_purchases"], 3);
  EXPECT_EQ(counts["convert"]["rate"], 1.0);
  EXPECT_EQ(counts["repurchase"]["buyers"], 3);
  EXPECT_EQ(counts["repurchase"]["repeat_buyers"], 1);
  EXPECT_EQ(counts["repurchase"]["repeat_purchases"], 1);
  EXPECT_EQ(counts["refer"]["referred_sign_ups"], 1);
  EXPECT_EQ(counts["refer"]["referred_purchases"], 2);
  EXPECT_EQ(counts["ladder"], sdk::Json({{"fan", 1}, {"member", 2}, {"partner", 1}}));

  // Ann's second purchase alone: a repurchase, not a first purchase, when the range starts after
  // her first.
  const sdk::Json later = funnel_->of("acme", day_range(day(3), day(3)));
  EXPECT_EQ(later["convert"]["first_purchases"], 0);
  EXPECT_EQ(later["repurchase"]["repeat_purchases"], 1);
  EXPECT_EQ(later["convert"]["rate"], nullptr) << "no sign-ups that day: no rate";
  EXPECT_EQ(funnel_->of("globex", day_range(day(0), day(5)))["acquire"]["visits"], 1);
}

TEST_F(FunnelTest, RangeMustBeDaysInOrderAndAtMostAYear) {
  EXPECT_EQ(day_range("2026-11-01", "2026-11-30").to, "2026-11-30");
  EXPECT_THROW(day_range("2026-11-31", "2026-12-01"), MoneyError);
  EXPECT_THROW(day_range("2026-11-01", "yesterday"), MoneyError);
  EXPECT_THROW(day_range("2026-11-02", "2026-11-01"), MoneyError);
  EXPECT_THROW(day_range("2025-01-01", "2026-11-01"), MoneyError);
}

}  // namespace
}  // namespace tribe::kernel::money
