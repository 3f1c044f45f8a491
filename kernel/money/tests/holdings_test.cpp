// Deposits and escrow pledges held at payment, then returned, forfeited or released, on the
// backend this executable links. The money takes the real path: order created, payment.succeeded
// applied (the paid hook holds it), refund.succeeded applied (the refunded hook unholds it).
#include "kernel/money/holdings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>

#include "kernel/money/tests/money_fixture.hpp"
#include "kernel/money/tests/run_together.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money::testing {
namespace {

using std::chrono::days;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Kind = Holding::Kind;
using State = Holding::State;

const std::string kForfeits = "site:forfeits";  // where the camp's lost deposits go

class HoldingsTest : public MoneyTest {
 protected:
  void SetUp() override {
    MoneyTest::SetUp();
    holdings_ = std::make_unique<HoldingBook>(*database_);
    // What the instance wires: a deposit or escrow offer's order held in the payment's
    // transaction, then fulfilled; its holding given back in the refund's transaction.
    payments_->on_paid([this](soci::session& session, const std::string& tenant, const Order& o) {
      if (const auto kind = kinds_.find(o.offer_id); kind != kinds_.end()) {
        holdings_->hold_in(session, tenant, o, kind->second, *o.paid_at);
      }
      payments_->mark_fulfilled(session, tenant, o.id);
    });
    payments_->on_refunded(
        [this](soci::session& session, const std::string& tenant, const Order& order) {
          holdings_->unhold_in(session, tenant, order.id, refunded_at_);
        });
  }

  void TearDown() override {
    holdings_.reset();
    MoneyTest::TearDown();
  }

  // An order for `offer` created at `at`, paid a minute later.
  Order paid(const std::string& key, const std::string& offer, std::int64_t price,
             Clock::time_point at = kNoon, const std::string& tenant = "acme",
             const std::string& account = "42") {
    const Order order = orders_->create(tenant, request(key, account, offer, price), at).order;
    pay(order, at + 1min, tenant);
    return order;
  }

  void pay(const Order& order, Clock::time_point at, const std::string& tenant = "acme") {
    const PaymentEvent event{"sandbox", "paid-" + order.id, "payment.succeeded", order.id,
                             order.amount};
    ASSERT_EQ(payments_->apply(tenant, event, at).applied, Applied::Applied);
  }

  void refund(const Order& order, Clock::time_point at, const std::string& tenant = "acme") {
    refunded_at_ = at;
    const PaymentEvent event{"sandbox", "refund-" + order.id, "refund.succeeded", order.id,
                             order.amount};
    ASSERT_EQ(payments_->apply(tenant, event, at).applied, Applied::Applied);
  }

  // hold_in in a committed transaction of its own, as a redelivered paid hook would.
  void hold(const Order& order, Kind kind, Clock::time_point now) {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    holdings_->hold_in(session, "acme", order, kind, now);
    transaction.commit();
  }

  State state(const std::string& order_id, const std::string& tenant = "acme") {
    const auto holding = holdings_->find(tenant, order_id);
    return holding ? holding->state : throw std::runtime_error("no holding of " + order_id);
  }

  std::string reason(const std::string& order_id) {
    const auto holding = holdings_->find("acme", order_id);
    return holding ? holding->reason : throw std::runtime_error("no holding of " + order_id);
  }

  std::int64_t balance(const std::string& account) {
    return ledger_->balance("acme", account, "EUR");
  }

  long long rows() { return count("SELECT COUNT(*) FROM tribe_holdings"); }

  bool balanced() { return ledger_->check().balanced(); }

  std::unique_ptr<HoldingBook> holdings_;
  // The offers' `holds:`: camp takes deposits; film and book take pledges in escrow.
  std::map<std::string, Kind> kinds_ = {
      {"camp", Kind::Deposit}, {"film", Kind::Escrow}, {"book", Kind::Escrow}};
  Clock::time_point refunded_at_ = kNoon;
};

TEST_F(HoldingsTest, NamesKindsStatesAndPots) {
  EXPECT_EQ(to_string(Kind::Deposit), "deposit");
  EXPECT_EQ(to_string(Kind::Escrow), "escrow");
  EXPECT_EQ(holding_kind("deposit"), Kind::Deposit);
  EXPECT_EQ(holding_kind("escrow"), Kind::Escrow);
  EXPECT_EQ(holding_kind("Deposit"), std::nullopt);
  EXPECT_EQ(holding_kind(""), std::nullopt);
  EXPECT_EQ(to_string(State::Held), "held");
  EXPECT_EQ(to_string(State::Returning), "returning");
  EXPECT_EQ(to_string(State::Returned), "returned");
  EXPECT_EQ(to_string(State::Forfeited), "forfeited");
  EXPECT_EQ(to_string(State::Released), "released");
  EXPECT_EQ(pot_account(Kind::Deposit, "camp"), "deposits:camp");
  EXPECT_EQ(pot_account(Kind::Escrow, "film"), "escrow:film");
}

TEST_F(HoldingsTest, APaidDepositIsHeldInItsPot) {
  const Order order = paid("key-1", "camp", 5000);
  EXPECT_EQ(holdings_->find("acme", order.id),
            (Holding{order.id, "camp", "42", Kind::Deposit, Amount(5000, "EUR"), State::Held, ""}));
  EXPECT_EQ(state_of(order.id), OrderState::Fulfilled);
  EXPECT_EQ(balances(), (Balances{{"deposits:camp", -5000}, {"provider:sandbox", 5000}}));
  EXPECT_EQ(balance("site:revenue"), 0);  // paid in, then moved into the pot
  EXPECT_EQ(transfers("order:" + order.id + ":hold"), 1);
  EXPECT_TRUE(balanced());

  // An offer that holds nothing is ordinary revenue.
  const Order plain = paid("key-2", "gala", 2500);
  EXPECT_EQ(holdings_->find("acme", plain.id), std::nullopt);
  EXPECT_EQ(balance("site:revenue"), -2500);
  EXPECT_EQ(transfers("%:hold"), 1);
  EXPECT_EQ(rows(), 1);
}

TEST_F(HoldingsTest, AForfeitedDepositGoesToTheForfeitAccountOnce) {
  const Order order = paid("key-1", "camp", 5000);
  EXPECT_TRUE(holdings_->forfeit("acme", order.id, kForfeits, "missed check-in", kNoon + days(7)));
  EXPECT_EQ(state(order.id), State::Forfeited);
  EXPECT_EQ(reason(order.id), "missed check-in");
  const Balances forfeited = {{kForfeits, -5000}, {"provider:sandbox", 5000}};
  EXPECT_EQ(balances(), forfeited);
  EXPECT_EQ(balance("deposits:camp"), 0);
  EXPECT_EQ(transfers("order:" + order.id + ":forfeit"), 1);

  EXPECT_FALSE(holdings_->forfeit("acme", order.id, "site:revenue", "again", kNoon + days(8)));
  EXPECT_EQ(state(order.id), State::Forfeited);
  EXPECT_EQ(reason(order.id), "missed check-in");
  EXPECT_EQ(transfers("%:forfeit"), 1);
  EXPECT_EQ(balances(), forfeited);
  EXPECT_FALSE(holdings_->forfeit("acme", "no-such-order", kForfeits, "x", kNoon));
  EXPECT_FALSE(holdings_->forfeit("globex", order.id, kForfeits, "x", kNoon));
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, OnlyAHeldDepositToAnAccountIsForfeited) {
  const Order pledge = paid("key-1", "film", 3000);
  EXPECT_THAT(refusal([&] { holdings_->forfeit("acme", pledge.id, kForfeits, "x", kNoon); }),
              HasSubstr("is a pledge in escrow"));
  EXPECT_EQ(state(pledge.id), State::Held);

  const Order deposit = paid("key-2", "camp", 5000);
  EXPECT_THAT(
      refusal([&] { holdings_->forfeit("acme", deposit.id, "forfeits", "bad account", kNoon); }),
      HasSubstr("is not an account name"));
  EXPECT_EQ(state(deposit.id), State::Held);  // the move rolled back with the refused transfer
  EXPECT_EQ(reason(deposit.id), "");
  EXPECT_EQ(transfers("%:forfeit"), 0);
  EXPECT_EQ(
      balances(),
      (Balances{{"deposits:camp", -5000}, {"escrow:film", -3000}, {"provider:sandbox", 8000}}));
  EXPECT_TRUE(holdings_->forfeit("acme", deposit.id, kForfeits, "late", kNoon));
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, AReturnedDepositLeavesThePotThroughTheRefund) {
  const Order order = paid("key-1", "camp", 5000);
  EXPECT_TRUE(holdings_->start_return("acme", order.id, "camp cancelled", kNoon + days(1)));
  EXPECT_EQ(state(order.id), State::Returning);
  EXPECT_EQ(reason(order.id), "camp cancelled");
  // Asked again (the refund never arrived): allowed, the first reason kept.
  EXPECT_TRUE(holdings_->start_return("acme", order.id, "twice", kNoon + days(1)));
  EXPECT_EQ(reason(order.id), "camp cancelled");
  EXPECT_FALSE(holdings_->forfeit("acme", order.id, kForfeits, "missed", kNoon + days(1)));
  EXPECT_EQ(state(order.id), State::Returning);
  EXPECT_EQ(transfers("%:forfeit"), 0);
  EXPECT_EQ(balances(), (Balances{{"deposits:camp", -5000}, {"provider:sandbox", 5000}}));

  refund(order, kNoon + days(2));
  EXPECT_EQ(state(order.id), State::Returned);
  EXPECT_EQ(reason(order.id), "camp cancelled");
  EXPECT_FALSE(holdings_->start_return("acme", order.id, "again", kNoon + days(2)));  // settled
  EXPECT_EQ(state_of(order.id), OrderState::Refunded);
  // As for an ordinary refund: the refund is an expense against the revenue, the pot empty.
  EXPECT_EQ(balances(), (Balances{{"site:refunds", 5000}, {"site:revenue", -5000}}));
  EXPECT_EQ(balance("deposits:camp"), 0);
  EXPECT_EQ(transfers("order:" + order.id + ":unhold"), 1);

  EXPECT_FALSE(holdings_->start_return("acme", order.id, "again", kNoon + days(3)));
  holdings_->cancel_return("acme", order.id);  // only a Returning one goes back
  EXPECT_EQ(state(order.id), State::Returned);
  EXPECT_FALSE(holdings_->forfeit("acme", order.id, kForfeits, "missed", kNoon + days(3)));
  EXPECT_EQ(transfers("%:unhold"), 1);
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, ARefundOfAHeldDepositReturnsIt) {
  const Order order = paid("key-1", "camp", 5000);
  refund(order, kNoon + days(2));
  EXPECT_EQ(state(order.id), State::Returned);
  EXPECT_EQ(reason(order.id), "refunded");
  EXPECT_EQ(balances(), (Balances{{"site:refunds", 5000}, {"site:revenue", -5000}}));
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, ACancelledReturnIsHeldAgain) {
  const Order order = paid("key-1", "camp", 5000);
  const Order pledge = paid("key-2", "film", 3000);
  ASSERT_TRUE(holdings_->start_return("acme", order.id, "provider down", kNoon));
  ASSERT_TRUE(holdings_->start_return("acme", pledge.id, "provider down", kNoon));
  // A pledge being returned is not released.
  EXPECT_EQ(holdings_->release("acme", "film", 500, "funded", kNoon), 0u);
  EXPECT_EQ(state(pledge.id), State::Returning);

  holdings_->cancel_return("acme", order.id);
  EXPECT_EQ(state(order.id), State::Held);
  EXPECT_EQ(reason(order.id), "");
  holdings_->cancel_return("acme", order.id);  // a Held one stays Held
  EXPECT_EQ(state(order.id), State::Held);
  holdings_->cancel_return("acme", "no-such-order");
  EXPECT_EQ(rows(), 2);

  EXPECT_TRUE(holdings_->forfeit("acme", order.id, kForfeits, "missed", kNoon + days(1)));
  holdings_->cancel_return("acme", pledge.id);
  EXPECT_EQ(holdings_->release("acme", "film", 0, "funded", kNoon + days(1)), 1u);
  EXPECT_EQ(balances(),
            (Balances{{kForfeits, -5000}, {"payouts:film", -3000}, {"provider:sandbox", 8000}}));
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, ARefundOfAForfeitedDepositLeavesItForfeited) {
  const Order order = paid("key-1", "camp", 5000);
  ASSERT_TRUE(holdings_->forfeit("acme", order.id, kForfeits, "missed check-in", kNoon));
  refund(order, kNoon + days(2));  // an admin refunds it anyway
  EXPECT_EQ(state(order.id), State::Forfeited);
  EXPECT_EQ(reason(order.id), "missed check-in");
  EXPECT_EQ(state_of(order.id), OrderState::Refunded);
  EXPECT_EQ(transfers("%:unhold"), 0);
  // The pot stays empty; the site pays the refund and keeps the forfeit.
  EXPECT_EQ(balances(), (Balances{{kForfeits, -5000}, {"site:refunds", 5000}}));
  EXPECT_EQ(balance("deposits:camp"), 0);
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, AReleasePaysEachPledgeOutLessTheFee) {
  // 5% of 1000 is 50; of 2599 is 129.95 -> 129; of 19 is 0.95 -> 0 (no fee entry).
  const Order a = paid("key-1", "film", 1000, kNoon);
  const Order b = paid("key-2", "film", 2599, kNoon + 1h, "acme", "43");
  const Order c = paid("key-3", "film", 19, kNoon + 2h, "acme", "44");
  const Order deposit = paid("key-4", "camp", 5000);
  EXPECT_EQ(
      balances(),
      (Balances{{"deposits:camp", -5000}, {"escrow:film", -3618}, {"provider:sandbox", 8618}}));

  EXPECT_EQ(holdings_->release("acme", "camp", 500, "not escrow", kNoon + days(1)), 0u);
  EXPECT_EQ(state(deposit.id), State::Held);

  EXPECT_EQ(holdings_->release("acme", "film", 500, "funded", kNoon + days(30)), 3u);
  for (const auto& id : {a.id, b.id, c.id}) {
    EXPECT_EQ(state(id), State::Released) << id;
    EXPECT_EQ(reason(id), "funded") << id;
  }
  const Balances released = {{"deposits:camp", -5000},
                             {"payouts:film", -(950 + 2470 + 19)},
                             {"provider:sandbox", 8618},
                             {"site:fees", -(50 + 129)}};
  EXPECT_EQ(balances(), released);
  EXPECT_EQ(balance("escrow:film"), 0);
  EXPECT_EQ(transfers("%:release"), 3);

  EXPECT_EQ(holdings_->release("acme", "film", 500, "again", kNoon + days(31)), 0u);
  EXPECT_EQ(reason(a.id), "funded");
  EXPECT_EQ(transfers("%:release"), 3);
  EXPECT_EQ(balances(), released);
  EXPECT_EQ(holdings_->release("acme", "no-such-offer", 500, "x", kNoon), 0u);
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, AReleaseTakesNoFeeOrAllOfIt) {
  const Order film = paid("key-1", "film", 1000);
  const Order book = paid("key-2", "book", 700);
  EXPECT_EQ(holdings_->release("acme", "film", 0, "funded", kNoon + days(1)), 1u);
  EXPECT_EQ(holdings_->release("acme", "book", 10000, "the site keeps it", kNoon + days(1)), 1u);
  EXPECT_EQ(state(film.id), State::Released);
  EXPECT_EQ(state(book.id), State::Released);
  EXPECT_EQ(balances(),
            (Balances{{"payouts:film", -1000}, {"provider:sandbox", 1700}, {"site:fees", -700}}));
  EXPECT_EQ(transfers("%:release"), 2);
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, RefusesAFeeOutsideTheWhole) {
  const Order pledge = paid("key-1", "film", 1000);
  EXPECT_THAT(refusal([&] { holdings_->release("acme", "film", -1, "x", kNoon); }),
              HasSubstr("is -1 basis points; use 0 to 10000"));
  EXPECT_THAT(refusal([&] { holdings_->release("acme", "film", 10001, "x", kNoon); }),
              HasSubstr("is 10001 basis points; use 0 to 10000"));
  EXPECT_EQ(state(pledge.id), State::Held);
  EXPECT_EQ(transfers("%:release"), 0);
  EXPECT_EQ(balances(), (Balances{{"escrow:film", -1000}, {"provider:sandbox", 1000}}));
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, HoldingAnOrderAgainChangesNothing) {
  const Order order = paid("key-1", "camp", 5000);
  const auto first = holdings_->find("acme", order.id);
  // The payment redelivered: a duplicate, its hook not run again.
  const PaymentEvent again{"sandbox", "paid-" + order.id, "payment.succeeded", order.id,
                           order.amount};
  EXPECT_EQ(payments_->apply("acme", again, kNoon + 1h).applied, Applied::Duplicate);
  // The hook run again past the event record, even as another kind.
  hold(order, Kind::Deposit, kNoon + 2h);
  hold(order, Kind::Escrow, kNoon + 3h);
  EXPECT_EQ(holdings_->find("acme", order.id), first);
  EXPECT_EQ(rows(), 1);
  EXPECT_EQ(transfers("%:hold"), 1);
  EXPECT_EQ(balances(), (Balances{{"deposits:camp", -5000}, {"provider:sandbox", 5000}}));
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, AHoldInARolledBackTransactionLeavesNothing) {
  const Order order = orders_->create("acme", request("key-1", "42", "camp", 5000), kNoon).order;
  {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    holdings_->hold_in(session, "acme", order, Kind::Deposit, kNoon);
  }  // not committed, as when a later payment hook throws
  EXPECT_EQ(rows(), 0);
  EXPECT_EQ(transfers(), 0);
  pay(order, kNoon + 1min);  // the redelivery holds it
  EXPECT_EQ(state(order.id), State::Held);
  EXPECT_EQ(transfers("%:hold"), 1);
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, ConcurrentForfeitsForfeitOnce) {
  const Order order = paid("key-1", "camp", 5000);
  std::atomic<int> won{0};
  const auto failures = run_together(8, [&](int t) {
    if (holdings_->forfeit("acme", order.id, kForfeits, "race " + std::to_string(t), kNoon)) {
      ++won;
    }
  });
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(won, 1);
  EXPECT_EQ(state(order.id), State::Forfeited);
  EXPECT_EQ(transfers("%:forfeit"), 1);
  EXPECT_EQ(balances(), (Balances{{kForfeits, -5000}, {"provider:sandbox", 5000}}));
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, AForfeitRacingAReturnLetsOneWin) {
  const Order order = paid("key-1", "camp", 5000);
  std::atomic<int> forfeited{0};
  std::atomic<int> returning{0};
  const auto failures = run_together(8, [&](int t) {
    if (t % 2 == 0) {
      if (holdings_->forfeit("acme", order.id, kForfeits, "missed", kNoon)) ++forfeited;
    } else if (holdings_->start_return("acme", order.id, "cancelled", kNoon)) {
      ++returning;
    }
  });
  EXPECT_THAT(failures, IsEmpty());
  // Either the forfeit won (once) or the return did (every return then sees it returning).
  EXPECT_TRUE((forfeited == 1 && returning == 0) || (forfeited == 0 && returning >= 1))
      << forfeited << " forfeits, " << returning << " returns";
  EXPECT_EQ(state(order.id), forfeited == 1 ? State::Forfeited : State::Returning);
  EXPECT_EQ(transfers("%:forfeit"), forfeited.load());
  EXPECT_EQ(balance("deposits:camp"), forfeited == 1 ? 0 : -5000);
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, ConcurrentReleasesReleaseEachPledgeOnce) {
  std::vector<std::string> pledges;
  for (int i = 0; i < 5; ++i) {
    const std::string n = std::to_string(i);
    pledges.push_back(
        paid("key-" + n, "film", 1000, kNoon + std::chrono::minutes(i), "acme", "4" + n).id);
  }
  std::atomic<std::size_t> released{0};
  const auto failures = run_together(
      4, [&](int) { released += holdings_->release("acme", "film", 500, "funded", kNoon + 1h); });
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(released, 5u);
  for (const auto& id : pledges) EXPECT_EQ(state(id), State::Released) << id;
  EXPECT_EQ(transfers("%:release"), 5);
  EXPECT_EQ(
      balances(),
      (Balances{{"payouts:film", -5 * 950}, {"provider:sandbox", 5000}, {"site:fees", -250}}));
  EXPECT_TRUE(balanced());
}

TEST_F(HoldingsTest, AnOffersHoldingsComeOldestFirst) {
  const Order late = paid("key-1", "film", 300, kNoon + 3h, "acme", "a1");
  const Order early = paid("key-2", "film", 100, kNoon + 1h, "acme", "a2");
  const Order middle = paid("key-3", "film", 200, kNoon + 2h, "acme", "a3");
  const Order other = paid("key-4", "book", 400, kNoon, "acme", "a4");
  const Order elsewhere = paid("key-5", "film", 500, kNoon, "globex", "a5");

  const auto of = [](const Order& o, const std::string& offer, std::int64_t amount) {
    return Holding{o.id, offer, o.account_id, Kind::Escrow, Amount(amount, "EUR"), State::Held, ""};
  };
  EXPECT_THAT(holdings_->of_offer("acme", "film"),
              ElementsAre(of(early, "film", 100), of(middle, "film", 200), of(late, "film", 300)));
  EXPECT_THAT(holdings_->of_offer("acme", "book"), ElementsAre(of(other, "book", 400)));
  EXPECT_THAT(holdings_->of_offer("globex", "film"), ElementsAre(of(elsewhere, "film", 500)));
  EXPECT_THAT(holdings_->of_offer("acme", "camp"), IsEmpty());

  EXPECT_EQ(holdings_->find("acme", middle.id), of(middle, "film", 200));
  EXPECT_EQ(holdings_->find("globex", middle.id), std::nullopt);
  EXPECT_EQ(holdings_->find("acme", elsewhere.id), std::nullopt);
  EXPECT_EQ(holdings_->find("acme", "no-such-order"), std::nullopt);

  // Settling changes the state, not the order.
  ASSERT_TRUE(holdings_->start_return("acme", early.id, "cancelled", kNoon + 4h));
  const auto after = holdings_->of_offer("acme", "film");
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0].order_id, early.id);
  EXPECT_EQ(after[0].state, State::Returning);
  EXPECT_EQ(after[0].reason, "cancelled");

  // Tenants are isolated: globex's release moves nothing of acme's.
  EXPECT_EQ(holdings_->release("globex", "film", 500, "funded", kNoon + 5h), 1u);
  EXPECT_EQ(balances("globex"),
            (Balances{{"payouts:film", -475}, {"provider:sandbox", 500}, {"site:fees", -25}}));
  EXPECT_EQ(balance("escrow:film"), -600);
  EXPECT_TRUE(balanced());
}

}  // namespace
}  // namespace tribe::kernel::money::testing
