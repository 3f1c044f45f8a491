// Referral attribution and commissions held, released and reversed, on the backend this
// executable links.
#include "kernel/money/commissions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>

#include "kernel/money/referrals.hpp"
#include "kernel/money/tests/money_fixture.hpp"
#include "kernel/money/tests/run_together.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money::testing {
namespace {

using std::chrono::days;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using State = Commission::State;

const std::chrono::seconds kWindow = days(30);        // the site's attribution window
const std::chrono::seconds kRefundWindow = days(14);  // the site's refund window

class CommissionsTest : public MoneyTest {
 protected:
  void SetUp() override {
    MoneyTest::SetUp();
    referrals_ = std::make_unique<ReferralBook>(*database_);
    commissions_ = std::make_unique<CommissionBook>(*database_, *referrals_);
    // What the kernel wires: commissions held in the payment's transaction, reversed in the
    // refund's, with the site's rates and rule of the moment.
    payments_->on_paid([this](soci::session& session, const std::string& tenant, const Order& o) {
      commissions_->hold_in(session, tenant, o, rates_, kRefundWindow, *o.paid_at);
    });
    payments_->on_refunded(
        [this](soci::session& session, const std::string& tenant, const Order& order) {
          commissions_->reverse_in(session, tenant, order.id, rule_, refunded_at_);
        });
  }

  void TearDown() override {
    commissions_.reset();
    referrals_.reset();
    MoneyTest::TearDown();
  }

  // `account` signs up after arriving by `partner`'s link.
  void refer(const std::string& account, const std::string& partner,
             const std::string& tenant = "acme") {
    referrals_->touch(tenant, "visitor-" + account, partner, kNoon - days(1));
    ASSERT_EQ(referrals_->bind(tenant, "visitor-" + account, account, kWindow, kNoon), partner);
  }

  // buyer <- p1 <- p2 <- p3: the buyer's upline is p1, p2, p3.
  void refer_chain(const std::string& tenant = "acme") {
    refer("p2", "p3", tenant);
    refer("p1", "p2", tenant);
    refer("buyer", "p1", tenant);
  }

  Order buy(const std::string& key, std::int64_t price, const std::string& tenant = "acme") {
    return orders_->create(tenant, request(key, "buyer", "gala", price, std::nullopt), kNoon).order;
  }

  void pay(const Order& order, Clock::time_point at, const std::string& tenant = "acme") {
    const PaymentEvent paid{"sandbox", "paid-" + order.id, "payment.succeeded", order.id,
                            order.amount};
    ASSERT_EQ(payments_->apply(tenant, paid, at).applied, Applied::Applied);
  }

  void refund(const Order& order, Clock::time_point at, const std::string& rule = "keep",
              const std::string& tenant = "acme") {
    rule_ = rule;
    refunded_at_ = at;
    const PaymentEvent refunded{"sandbox", "refund-" + order.id, "refund.succeeded", order.id,
                                order.amount};
    ASSERT_EQ(payments_->apply(tenant, refunded, at).applied, Applied::Applied);
  }

  // hold_in in a committed transaction of its own.
  std::vector<Commission> hold(const Order& order, const std::vector<int>& rates,
                               Clock::time_point now = kNoon) {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    auto held = commissions_->hold_in(session, "acme", order, rates, kRefundWindow, now);
    transaction.commit();
    return held;
  }

  std::vector<State> states(const std::string& partner, const std::string& tenant = "acme") {
    std::vector<State> result;
    for (const auto& commission : commissions_->of_partner(tenant, partner)) {
      result.push_back(commission.state);
    }
    return result;
  }

  std::unique_ptr<ReferralBook> referrals_;
  std::unique_ptr<CommissionBook> commissions_;
  std::vector<int> rates_{1000, 500};  // 10% and 5%
  std::string rule_ = "keep";
  Clock::time_point refunded_at_ = kNoon;
};

// Paid at 2599: 10% is 259.9 and 5% is 129.95, both rounded down.
const Balances kHeld = {{"commissions:held:p1", -259},
                        {"commissions:held:p2", -129},
                        {"provider:sandbox", 2599},
                        {"site:commissions", 388},
                        {"site:revenue", -2599}};
const Balances kPayable = {{"commissions:payable:p1", -259},
                           {"commissions:payable:p2", -129},
                           {"provider:sandbox", 2599},
                           {"site:commissions", 388},
                           {"site:revenue", -2599}};

TEST_F(CommissionsTest, TheLastTouchWithinTheWindowBindsTheAccount) {
  referrals_->touch("acme", "v1", "alice", kNoon - days(3));
  referrals_->touch("acme", "v1", "bob", kNoon - days(2));
  referrals_->touch("acme", "v1", "carol", kNoon - days(5));  // recorded late, touched earlier
  EXPECT_EQ(referrals_->bind("acme", "v1", "newcomer", kWindow, kNoon), "bob");
  EXPECT_EQ(referrals_->referrer_of("acme", "newcomer"), "bob");
  EXPECT_THAT(referrals_->referred_by("acme", "bob"), ElementsAre("newcomer"));
  EXPECT_THAT(referrals_->referred_by("acme", "alice"), IsEmpty());
}

TEST_F(CommissionsTest, ATouchOlderThanTheWindowBindsNothing) {
  referrals_->touch("acme", "v-edge", "alice", kNoon - kWindow);
  referrals_->touch("acme", "v-old", "alice", kNoon - kWindow - 1s);
  EXPECT_EQ(referrals_->bind("acme", "v-old", "late", kWindow, kNoon), std::nullopt);
  EXPECT_EQ(referrals_->referrer_of("acme", "late"), std::nullopt);
  EXPECT_EQ(referrals_->bind("acme", "v-edge", "in-time", kWindow, kNoon), "alice");
  EXPECT_EQ(referrals_->bind("acme", "v-unknown", "walk-in", kWindow, kNoon), std::nullopt);
  EXPECT_THAT(referrals_->referred_by("acme", "alice"), ElementsAre("in-time"));
}

TEST_F(CommissionsTest, AnAccountIsBoundOnceAndNeverToItself) {
  referrals_->touch("acme", "v1", "alice", kNoon);
  EXPECT_EQ(referrals_->bind("acme", "v1", "alice", kWindow, kNoon), std::nullopt);
  EXPECT_EQ(referrals_->referrer_of("acme", "alice"), std::nullopt);

  EXPECT_EQ(referrals_->bind("acme", "v1", "newcomer", kWindow, kNoon), "alice");
  referrals_->touch("acme", "v1", "bob", kNoon + 1h);
  referrals_->touch("acme", "v2", "bob", kNoon + 1h);
  EXPECT_EQ(referrals_->bind("acme", "v1", "newcomer", kWindow, kNoon + 2h), "alice");
  EXPECT_EQ(referrals_->bind("acme", "v2", "newcomer", kWindow, kNoon + 2h), "alice");
  EXPECT_EQ(referrals_->referrer_of("acme", "newcomer"), "alice");
  EXPECT_THAT(referrals_->referred_by("acme", "bob"), IsEmpty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_referrals"), 1);
}

TEST_F(CommissionsTest, ABindingThatWouldCloseACycleIsRefused) {
  refer("b", "a");
  refer("c", "b");
  referrals_->touch("acme", "v-a", "c", kNoon);  // a, at the top, arrives by c's link
  EXPECT_EQ(referrals_->bind("acme", "v-a", "a", kWindow, kNoon), std::nullopt);
  EXPECT_EQ(referrals_->referrer_of("acme", "a"), std::nullopt);
}

TEST_F(CommissionsTest, TheUplineStopsAtTheLevelsAskedAndAtACycle) {
  refer_chain();
  EXPECT_THAT(referrals_->upline("acme", "buyer", 2), ElementsAre("p1", "p2"));
  EXPECT_THAT(referrals_->upline("acme", "buyer", 3), ElementsAre("p1", "p2", "p3"));
  EXPECT_THAT(referrals_->upline("acme", "buyer", 10), ElementsAre("p1", "p2", "p3"));
  EXPECT_THAT(referrals_->upline("acme", "buyer", 0), IsEmpty());
  EXPECT_THAT(referrals_->upline("acme", "p3", 2), IsEmpty());

  // A cycle written past the book: p3 referred by buyer. The walk names nobody twice.
  run_raw("INSERT INTO tribe_referrals VALUES ('acme', 'p3', 'buyer', 0)");
  EXPECT_THAT(referrals_->upline("acme", "buyer", 10), ElementsAre("p1", "p2", "p3"));
  EXPECT_THAT(referrals_->upline("acme", "p2", 10), ElementsAre("p3", "buyer", "p1"));
}

TEST_F(CommissionsTest, RefusesIdsThatCannotNameAnAccount) {
  EXPECT_THAT(refusal([&] { referrals_->touch("acme", "v1", "alice smith", kNoon); }),
              HasSubstr("partner 'alice smith' is not an account id"));
  EXPECT_THAT(refusal([&] { referrals_->touch("acme", "", "alice", kNoon); }),
              HasSubstr("needs a visitor id"));
  EXPECT_THAT(refusal([&] { referrals_->bind("acme", "v1", "a:b", kWindow, kNoon); }),
              HasSubstr("account 'a:b' is not an account id"));
  EXPECT_THAT(refusal([&] { referrals_->bind("acme", "v1", "x", -1s, kNoon); }),
              HasSubstr("attribution window is -1 seconds"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_referral_touches"), 0);
}

TEST_F(CommissionsTest, APaidOrderHoldsACommissionPerLevelRoundedDown) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  pay(order, kNoon + 1min);

  const Clock::time_point until = kNoon + 1min + kRefundWindow;
  EXPECT_THAT(commissions_->of_partner("acme", "p1"),
              ElementsAre(Commission{order.id, "p1", 1, Amount(259, "EUR"), State::Held, until}));
  EXPECT_THAT(commissions_->of_partner("acme", "p2"),
              ElementsAre(Commission{order.id, "p2", 2, Amount(129, "EUR"), State::Held, until}));
  EXPECT_THAT(commissions_->of_partner("acme", "p3"), IsEmpty());  // two levels only
  EXPECT_EQ(balances(), kHeld);
  EXPECT_EQ(transfers("order:" + order.id + ":commission:1"), 1);
  EXPECT_EQ(transfers("order:" + order.id + ":commission:2"), 1);
}

TEST_F(CommissionsTest, AZeroCommissionIsSkipped) {
  refer_chain();
  rates_ = {1000, 0};
  const Order first = buy("key-1", 2599);
  pay(first, kNoon);
  EXPECT_THAT(states("p1"), ElementsAre(State::Held));
  EXPECT_THAT(states("p2"), IsEmpty());

  rates_ = {1000, 500};
  const Order small = buy("key-2", 15);  // 1.5 -> 1 and 0.75 -> 0
  pay(small, kNoon + 1h);
  // Newest order first.
  EXPECT_EQ(commissions_->of_partner("acme", "p1").front().amount, Amount(1, "EUR"));
  EXPECT_THAT(states("p1"), ElementsAre(State::Held, State::Held));
  EXPECT_THAT(states("p2"), IsEmpty());
  EXPECT_EQ(transfers("%:commission:2"), 0);
  EXPECT_EQ(balances()["site:commissions"], 259 + 1);
}

TEST_F(CommissionsTest, AnOrderWithoutUplineHoldsNothing) {
  const Order order = buy("key-1", 2599);
  pay(order, kNoon);
  EXPECT_THAT(hold(order, {1000, 500}), IsEmpty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_commissions"), 0);
  EXPECT_EQ(transfers("%commission%"), 0);
}

TEST_F(CommissionsTest, HoldingAnOrderAgainChangesNothing) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  pay(order, kNoon);
  const auto first = commissions_->of_partner("acme", "p1");

  const auto again = hold(order, {1000, 500}, kNoon + 1h);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0], first.front());
  // Other rates or three levels now: still what the first paid hook held.
  EXPECT_EQ(hold(order, {2000, 1000, 500}, kNoon + 2h), again);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_commissions"), 2);
  EXPECT_EQ(transfers("%commission%"), 2);
  EXPECT_EQ(balances(), kHeld);
}

TEST_F(CommissionsTest, ARefundInsideTheWindowReversesBothLevels) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  pay(order, kNoon);
  EXPECT_EQ(balances(), kHeld);

  refund(order, kNoon + days(3));
  EXPECT_THAT(states("p1"), ElementsAre(State::Reversed));
  EXPECT_THAT(states("p2"), ElementsAre(State::Reversed));
  EXPECT_EQ(balances(), (Balances{{"site:refunds", 2599}, {"site:revenue", -2599}}));
  EXPECT_EQ(transfers("%:reversal"), 2);

  EXPECT_EQ(commissions_->release_due(kNoon + days(30)), 0u);  // nothing left to release
  EXPECT_THAT(states("p1"), ElementsAre(State::Reversed));
  EXPECT_EQ(transfers("%:release"), 0);
}

TEST_F(CommissionsTest, ReleaseAfterTheWindowMakesThemPayableOnce) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  pay(order, kNoon);

  EXPECT_EQ(commissions_->release_due(kNoon + kRefundWindow - 1s), 0u);
  EXPECT_EQ(balances(), kHeld);
  EXPECT_EQ(commissions_->release_due(kNoon + kRefundWindow), 2u);
  EXPECT_THAT(states("p1"), ElementsAre(State::Payable));
  EXPECT_THAT(states("p2"), ElementsAre(State::Payable));
  EXPECT_EQ(balances(), kPayable);

  EXPECT_EQ(commissions_->release_due(kNoon + days(100)), 0u);
  EXPECT_EQ(transfers("%:release"), 2);
  EXPECT_EQ(balances(), kPayable);
}

TEST_F(CommissionsTest, ConcurrentSweepsReleaseEachCommissionOnce) {
  refer_chain();
  for (int i = 0; i < 3; ++i) pay(buy("key-" + std::to_string(i), 2599), kNoon);
  std::atomic<std::size_t> released{0};
  const auto failures =
      run_together(4, [&](int) { released += commissions_->release_due(kNoon + kRefundWindow); });
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(released, 6u);
  EXPECT_EQ(transfers("%:release"), 6);
  EXPECT_EQ(balances()["commissions:payable:p1"], -3 * 259);
  EXPECT_EQ(balances()["commissions:held:p1"], 0);
}

TEST_F(CommissionsTest, ARefundAfterReleaseUnderKeepLeavesThemPayable) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  pay(order, kNoon);
  commissions_->release_due(kNoon + kRefundWindow);

  refund(order, kNoon + days(20), "keep");
  EXPECT_THAT(states("p1"), ElementsAre(State::Payable));
  EXPECT_THAT(states("p2"), ElementsAre(State::Payable));
  Balances expected = kPayable;
  expected.erase("provider:sandbox");
  expected["site:refunds"] = 2599;
  EXPECT_EQ(balances(), expected);  // the site bears the commissions
  EXPECT_EQ(transfers("%:reversal"), 0);
}

TEST_F(CommissionsTest, ARefundAfterReleaseUnderClawBackReversesThem) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  pay(order, kNoon);
  commissions_->release_due(kNoon + kRefundWindow);

  refund(order, kNoon + days(20), "claw_back");
  EXPECT_THAT(states("p1"), ElementsAre(State::Reversed));
  EXPECT_THAT(states("p2"), ElementsAre(State::Reversed));
  EXPECT_EQ(balances(), (Balances{{"site:refunds", 2599}, {"site:revenue", -2599}}));
  EXPECT_EQ(transfers("%:reversal"), 2);
}

TEST_F(CommissionsTest, AClawBackAfterAPayoutLeavesThePartnerOwingTheSite) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  pay(order, kNoon);
  commissions_->release_due(kNoon + kRefundWindow);
  // The site paid p1 out (a payout is not this book's business; any balanced transfer will do).
  ledger_->post("acme", {"payout:p1:1",
                         "commission.payout",
                         "payout to p1",
                         {{"commissions:payable:p1", Amount(259, "EUR")},
                          {"provider:sandbox", Amount(-259, "EUR")}}});

  refund(order, kNoon + days(20), "claw_back");
  EXPECT_EQ(balances(), (Balances{{"commissions:payable:p1", 259},  // p1 owes the site 2.59
                                  {"provider:sandbox", -259},
                                  {"site:refunds", 2599},
                                  {"site:revenue", -2599}}));
}

TEST_F(CommissionsTest, ARefundAfterTheWindowBeforeTheSweepFollowsTheRule) {
  refer_chain();
  const Order kept = buy("key-1", 2599);
  const Order clawed = buy("key-2", 2599);
  pay(kept, kNoon);
  pay(clawed, kNoon);

  refund(kept, kNoon + kRefundWindow, "keep");  // the window closed at this very second
  EXPECT_EQ(transfers("order:" + kept.id + ":commission:%:release"), 2);
  refund(clawed, kNoon + kRefundWindow + 1h, "claw_back");
  EXPECT_EQ(transfers("order:" + clawed.id + ":commission:%:release"), 2);
  EXPECT_EQ(transfers("order:" + clawed.id + ":commission:%:reversal"), 2);

  std::vector<std::pair<std::string, State>> p1;
  for (const auto& c : commissions_->of_partner("acme", "p1")) p1.emplace_back(c.order_id, c.state);
  EXPECT_THAT(p1, ::testing::UnorderedElementsAre(::testing::Pair(kept.id, State::Payable),
                                                  ::testing::Pair(clawed.id, State::Reversed)));
  EXPECT_EQ(commissions_->release_due(kNoon + days(100)), 0u);
  EXPECT_EQ(balances()["commissions:payable:p1"], -259);
  EXPECT_EQ(balances()["commissions:held:p1"], 0);
  EXPECT_EQ(balances()["site:commissions"], 388);
}

TEST_F(CommissionsTest, AHoldInARolledBackTransactionLeavesNothing) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    EXPECT_EQ(
        commissions_->hold_in(session, "acme", order, {1000, 500}, kRefundWindow, kNoon).size(),
        2u);
  }  // not committed, as when a later payment hook throws
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_commissions"), 0);
  EXPECT_EQ(transfers(), 0);
  EXPECT_THAT(balances(), IsEmpty());

  EXPECT_EQ(hold(order, {1000, 500}).size(), 2u);  // the redelivery holds them
  EXPECT_EQ(transfers("%commission%"), 2);
}

TEST_F(CommissionsTest, TenantsAreIsolated) {
  refer_chain("acme");
  refer("buyer", "p9", "globex");
  EXPECT_EQ(referrals_->referrer_of("globex", "buyer"), "p9");
  EXPECT_THAT(referrals_->upline("globex", "buyer", 2), ElementsAre("p9"));
  EXPECT_THAT(referrals_->referred_by("globex", "p1"), IsEmpty());

  const Order in_acme = buy("key-1", 2599, "acme");
  const Order in_globex = buy("key-1", 1000, "globex");
  pay(in_acme, kNoon, "acme");
  pay(in_globex, kNoon, "globex");
  EXPECT_THAT(commissions_->of_partner("globex", "p1"), IsEmpty());
  EXPECT_THAT(states("p9", "globex"), ElementsAre(State::Held));
  EXPECT_EQ(balances("globex"), (Balances{{"commissions:held:p9", -100},
                                          {"provider:sandbox", 1000},
                                          {"site:commissions", 100},
                                          {"site:revenue", -1000}}));

  refund(in_globex, kNoon + days(1), "keep", "globex");
  EXPECT_THAT(states("p9", "globex"), ElementsAre(State::Reversed));
  EXPECT_EQ(balances(), kHeld);  // acme's untouched
  EXPECT_EQ(commissions_->release_due(kNoon + kRefundWindow), 2u);
  EXPECT_EQ(balances(), kPayable);
}

TEST_F(CommissionsTest, RefusesRatesAndRulesItCannotApply) {
  refer_chain();
  const Order order = buy("key-1", 2599);
  EXPECT_THAT(refusal([&] { hold(order, {}); }), HasSubstr("give 1 to 3 rates"));
  EXPECT_THAT(refusal([&] { hold(order, {1000, 500, 100, 50}); }), HasSubstr("give 1 to 3"));
  EXPECT_THAT(refusal([&] {
                hold(order, {1000, -5});
              }),
              HasSubstr("rate of level 2 is -5 basis points; use 0 to 10000"));
  EXPECT_THAT(refusal([&] { hold(order, {10001}); }), HasSubstr("use 0 to 10000"));
  EXPECT_THAT(refusal([&] {
                hold(order, {6000, 5000});
              }),
              HasSubstr("sum to 11000 basis points, more than the whole order"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_commissions"), 0);

  soci::session session(database_->pool());
  EXPECT_THAT(
      refusal([&] { commissions_->reverse_in(session, "acme", order.id, "forfeit", kNoon); }),
      HasSubstr("after_window is 'forfeit'; use 'keep'"));
}

}  // namespace
}  // namespace tribe::kernel::money::testing
