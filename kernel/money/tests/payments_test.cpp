// Payment events applied to orders exactly once, on the backend this executable links.
#include "kernel/money/payments.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "kernel/money/tests/money_fixture.hpp"
#include "kernel/money/tests/run_together.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class PaymentsTest : public MoneyTest {
 protected:
  PaymentEvent event(const std::string& id, const std::string& type, const Order& order) {
    return {"sandbox", id, type, order.id, order.amount};
  }

  PaymentOutcome apply(const PaymentEvent& payment_event, Clock::time_point now = kNoon + 1min) {
    return payments_->apply("acme", payment_event, now);
  }

  long long transfers() { return count("SELECT COUNT(*) FROM tribe_ledger_transfers"); }
  long long events() { return count("SELECT COUNT(*) FROM tribe_payment_events"); }
  std::int64_t balance(const std::string& account) {
    return ledger_->balance("acme", account, "EUR");
  }
};

TEST_F(PaymentsTest, PaymentMakesTheOrderPaidAndCreditsRevenue) {
  const Order order = create(request("key-1"));
  std::vector<std::string> hooked;
  payments_->on_paid([&](soci::session&, const std::string& tenant, const Order& paid) {
    hooked.push_back(tenant + " " + paid.id + " " + to_string(paid.state));
  });

  const PaymentOutcome outcome = apply(event("evt-1", "payment.succeeded", order));
  EXPECT_EQ(outcome.applied, Applied::Applied);
  ASSERT_TRUE(outcome.order.has_value());
  EXPECT_EQ(outcome.order->state, OrderState::Paid);
  EXPECT_EQ(outcome.order->paid_at, kNoon + 1min);
  EXPECT_THAT(hooked, ElementsAre("acme " + order.id + " paid"));
  EXPECT_EQ(orders_->find("acme", order.id)->paid_at, kNoon + 1min);
  EXPECT_EQ(balance("provider:sandbox"), 2500);
  EXPECT_EQ(balance("site:revenue"), -2500);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_ledger_transfers WHERE transfer_id = 'order:" +
                  order.id + ":payment'"),
            1);
  EXPECT_EQ(taken(), 1);
}

TEST_F(PaymentsTest, OneEventDeliveredAHundredTimesAppliesOnce) {
  const Order order = create(request("key-1"));
  int hooked = 0;
  payments_->on_paid([&](soci::session&, const std::string&, const Order&) { ++hooked; });
  std::vector<Applied> outcomes;
  for (int i = 0; i < 100; ++i) {
    outcomes.push_back(apply(event("evt-1", "payment.succeeded", order)).applied);
  }
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), Applied::Applied), 1);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), Applied::Duplicate), 99);
  EXPECT_EQ(hooked, 1);
  EXPECT_EQ(transfers(), 1);
  EXPECT_EQ(events(), 1);
  EXPECT_EQ(state_of(order.id), OrderState::Paid);
  EXPECT_EQ(balance("site:revenue"), -2500);

  const PaymentOutcome again = apply(event("evt-1", "payment.succeeded", order));
  EXPECT_THAT(again.detail, HasSubstr("was received before (applied)"));
  ASSERT_TRUE(again.order.has_value());
  EXPECT_EQ(again.order->state, OrderState::Paid);
}

TEST_F(PaymentsTest, OneEventDeliveredFromEightThreadsAppliesOnce) {
  const Order order = create(request("key-1"));
  std::atomic<int> hooked{0};
  payments_->on_paid([&](soci::session&, const std::string&, const Order&) { ++hooked; });
  std::atomic<int> applied{0};
  std::atomic<int> duplicates{0};
  auto failures = run_together(8, [&](int) {
    const Applied outcome = apply(event("evt-1", "payment.succeeded", order)).applied;
    if (outcome == Applied::Applied) ++applied;
    if (outcome == Applied::Duplicate) ++duplicates;
  });
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(duplicates, 7);
  EXPECT_EQ(hooked, 1);
  EXPECT_EQ(transfers(), 1);
  EXPECT_EQ(state_of(order.id), OrderState::Paid);
  EXPECT_EQ(balance("provider:sandbox"), 2500);
}

TEST_F(PaymentsTest, TwoEventsPayingOneOrderCreditItOnce) {
  const Order order = create(request("key-1"));
  EXPECT_EQ(apply(event("evt-1", "payment.succeeded", order)).applied, Applied::Applied);
  const PaymentOutcome second = apply(event("evt-2", "payment.succeeded", order));
  EXPECT_EQ(second.applied, Applied::Ignored);
  EXPECT_THAT(second.detail, HasSubstr("is paid, and it applies to pending or expired orders"));
  EXPECT_EQ(transfers(), 1);
}

TEST_F(PaymentsTest, RefundBeforePaymentIsIgnoredAndRecorded) {
  const Order order = create(request("key-1"));
  const PaymentOutcome early = apply(event("evt-r", "refund.succeeded", order));
  EXPECT_EQ(early.applied, Applied::Ignored);
  EXPECT_THAT(early.detail, HasSubstr("is pending, and it applies to paid or fulfilled orders"));
  EXPECT_EQ(apply(event("evt-r", "refund.succeeded", order)).applied, Applied::Duplicate);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_payment_events WHERE outcome = 'ignored'"), 1);

  EXPECT_EQ(apply(event("evt-p", "payment.succeeded", order)).applied, Applied::Applied);
  // The refund's redelivery stays a duplicate: it does not refund the paid order now.
  EXPECT_EQ(apply(event("evt-r", "refund.succeeded", order)).applied, Applied::Duplicate);
  EXPECT_EQ(state_of(order.id), OrderState::Paid);
  EXPECT_EQ(transfers(), 1);
}

TEST_F(PaymentsTest, FailureAfterSuccessIsIgnored) {
  const Order order = create(request("key-1"));
  apply(event("evt-p", "payment.succeeded", order));
  EXPECT_EQ(apply(event("evt-f", "payment.failed", order)).applied, Applied::Ignored);
  EXPECT_EQ(state_of(order.id), OrderState::Paid);
  EXPECT_EQ(taken(), 1);
  EXPECT_EQ(balance("site:revenue"), -2500);
}

TEST_F(PaymentsTest, FailedPaymentCancelsAndFreesTheSeat) {
  const Order order = create(request("key-1", "42", "gala", 2500, 1));
  const PaymentOutcome outcome = apply(event("evt-f", "payment.failed", order));
  EXPECT_EQ(outcome.applied, Applied::Applied);
  EXPECT_EQ(outcome.order->state, OrderState::Cancelled);
  EXPECT_EQ(taken(), 0);
  EXPECT_EQ(transfers(), 0);
  EXPECT_EQ(create(request("key-2", "43", "gala", 2500, 1)).state, OrderState::Pending);
  EXPECT_EQ(apply(event("evt-p", "payment.succeeded", order)).applied, Applied::Ignored);
}

TEST_F(PaymentsTest, AmountCurrencyOrProviderMismatchCreditsNothing) {
  const Order order = create(request("key-1"));
  PaymentEvent less = event("evt-1", "payment.succeeded", order);
  less.amount = Amount(2400, "EUR");
  PaymentEvent dollars = event("evt-2", "payment.succeeded", order);
  dollars.amount = Amount(2500, "USD");
  PaymentEvent other_provider = event("evt-3", "payment.succeeded", order);
  other_provider.provider = "manual";

  const PaymentOutcome short_paid = apply(less);
  EXPECT_EQ(short_paid.applied, Applied::Mismatch);
  EXPECT_THAT(short_paid.detail, HasSubstr("is for 2500 EUR, but event 'evt-1'"));
  EXPECT_THAT(short_paid.detail, HasSubstr("is for 2400 EUR; nothing credited"));
  EXPECT_EQ(apply(dollars).applied, Applied::Mismatch);
  const PaymentOutcome elsewhere = apply(other_provider);
  EXPECT_EQ(elsewhere.applied, Applied::Mismatch);
  EXPECT_THAT(elsewhere.detail, HasSubstr("is paid through 'sandbox'"));
  EXPECT_EQ(apply(less).applied, Applied::Duplicate);

  EXPECT_EQ(transfers(), 0);
  EXPECT_THAT(ledger_->balances("acme"), IsEmpty());
  EXPECT_EQ(state_of(order.id), OrderState::Pending);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_payment_events WHERE outcome = 'mismatch'"), 3);
}

TEST_F(PaymentsTest, UnknownOrdersAndTypesChangeNothing) {
  const Order order = create(request("key-1"));
  PaymentEvent stray = event("evt-1", "payment.succeeded", order);
  stray.order_id = "no-such-order";
  const PaymentOutcome unknown = apply(stray);
  EXPECT_EQ(unknown.applied, Applied::UnknownOrder);
  EXPECT_FALSE(unknown.order.has_value());
  EXPECT_EQ(payments_->apply("globex", event("evt-1", "payment.succeeded", order), kNoon).applied,
            Applied::UnknownOrder);
  const PaymentOutcome odd = apply(event("evt-2", "charge.disputed", order));
  EXPECT_EQ(odd.applied, Applied::Ignored);
  EXPECT_THAT(odd.detail, HasSubstr("'charge.disputed', which Tribe does not apply"));
  EXPECT_EQ(state_of(order.id), OrderState::Pending);
  EXPECT_EQ(transfers(), 0);
  EXPECT_EQ(events(), 3);
}

TEST_F(PaymentsTest, RefundReversesPaymentAndFreesTheSeat) {
  const Order order = create(request("key-1", "42", "gala", 2500, 1));
  std::vector<std::string> revoked;
  payments_->on_refunded([&](soci::session&, const std::string&, const Order& refunded) {
    revoked.push_back(refunded.id + " " + to_string(refunded.state));
  });
  apply(event("evt-p", "payment.succeeded", order));
  const PaymentOutcome outcome = apply(event("evt-r", "refund.succeeded", order), kNoon + 1h);
  EXPECT_EQ(outcome.applied, Applied::Applied);
  EXPECT_EQ(outcome.order->state, OrderState::Refunded);
  EXPECT_THAT(revoked, ElementsAre(order.id + " refunded"));
  EXPECT_EQ(balance("provider:sandbox"), 0);
  EXPECT_EQ(balance("site:revenue"), -2500);
  EXPECT_EQ(balance("site:refunds"), 2500);
  EXPECT_EQ(transfers(), 2);
  EXPECT_EQ(taken(), 0);
  EXPECT_EQ(apply(event("evt-r2", "refund.succeeded", order)).applied, Applied::Ignored);
}

TEST_F(PaymentsTest, FulfilledOrdersCanBeRefundedToo) {
  const Order order = create(request("key-1"));
  payments_->on_paid(
      [&](soci::session& in_transaction, const std::string& tenant, const Order& paid) {
        payments_->mark_fulfilled(in_transaction, tenant, paid.id);
      });
  EXPECT_EQ(apply(event("evt-p", "payment.succeeded", order)).applied, Applied::Applied);
  EXPECT_EQ(state_of(order.id), OrderState::Fulfilled);
  EXPECT_EQ(apply(event("evt-r", "refund.succeeded", order)).applied, Applied::Applied);
  EXPECT_EQ(state_of(order.id), OrderState::Refunded);
}

TEST_F(PaymentsTest, MarkFulfilledOnlyMovesPaidOrders) {
  const Order order = create(request("key-1"));
  soci::session session(database_->pool());
  try {
    payments_->mark_fulfilled(session, "acme", order.id);
    ADD_FAILURE() << "a pending order was fulfilled";
  } catch (const MoneyError& e) {
    EXPECT_THAT(e.what(), HasSubstr("is pending; only a paid order can be marked fulfilled"));
  }
  EXPECT_THROW(payments_->mark_fulfilled(session, "acme", "no-such-order"), MoneyError);
  apply(event("evt-p", "payment.succeeded", order));
  {
    store::WriteTransaction transaction(*database_, session);
    payments_->mark_fulfilled(session, "acme", order.id);
    payments_->mark_fulfilled(session, "acme", order.id);  // again: nothing more to do
    transaction.commit();
  }
  EXPECT_EQ(state_of(order.id), OrderState::Fulfilled);
}

TEST_F(PaymentsTest, AHookThatThrowsRollsTheEventBack) {
  const Order order = create(request("key-1"));
  bool fail = true;
  payments_->on_paid([&](soci::session&, const std::string&, const Order&) {
    if (fail) throw std::runtime_error("entitlement store down");
  });
  EXPECT_THROW(apply(event("evt-1", "payment.succeeded", order)), std::runtime_error);
  EXPECT_EQ(state_of(order.id), OrderState::Pending);
  EXPECT_EQ(transfers(), 0);
  EXPECT_EQ(events(), 0);

  fail = false;
  EXPECT_EQ(apply(event("evt-1", "payment.succeeded", order)).applied, Applied::Applied);
  EXPECT_EQ(state_of(order.id), OrderState::Paid);
}

TEST_F(PaymentsTest, LatePaymentRetakesFreeCapacity) {
  const Order order = create(request("key-1", "42", "gala", 2500, 1));
  orders_->expire_reservations(kNoon + 15min);
  EXPECT_EQ(taken(), 0);
  const PaymentOutcome outcome = apply(event("evt-p", "payment.succeeded", order), kNoon + 20min);
  EXPECT_EQ(outcome.applied, Applied::Applied);
  EXPECT_EQ(outcome.order->state, OrderState::Paid);
  EXPECT_EQ(taken(), 1);
  EXPECT_EQ(balance("site:revenue"), -2500);
}

TEST_F(PaymentsTest, LatePaymentAfterTheSeatWasSoldIsCancelledAndOwedBack) {
  int hooked = 0;
  payments_->on_paid([&](soci::session&, const std::string&, const Order&) { ++hooked; });
  const Order late = create(request("key-1", "42", "gala", 2500, 1));
  const Order next = create(request("key-2", "43", "gala", 2500, 1), kNoon + 16min);
  const PaymentOutcome outcome = apply(event("evt-p", "payment.succeeded", late), kNoon + 20min);
  EXPECT_EQ(outcome.applied, Applied::Applied);
  EXPECT_EQ(outcome.order->state, OrderState::Cancelled);
  EXPECT_THAT(outcome.detail, HasSubstr("sold out meanwhile: cancelled; refund 2500 EUR at "
                                        "'sandbox'"));
  EXPECT_EQ(hooked, 0);
  EXPECT_EQ(state_of(next.id), OrderState::Pending);
  EXPECT_EQ(taken(), 1);
  EXPECT_EQ(balance("provider:sandbox"), 0);
  EXPECT_EQ(balance("site:revenue"), -2500);
  EXPECT_EQ(balance("site:refunds"), 2500);
  EXPECT_EQ(transfers(), 2);
}

TEST_F(PaymentsTest, RefusesEventsWithoutIdentity) {
  const Order order = create(request("key-1"));
  PaymentEvent no_id = event("", "payment.succeeded", order);
  PaymentEvent no_provider = event("evt-1", "payment.succeeded", order);
  no_provider.provider = "";
  EXPECT_THROW(apply(no_id), MoneyError);
  EXPECT_THROW(apply(no_provider), MoneyError);
  EXPECT_THROW(payments_->apply("", event("evt-1", "payment.succeeded", order), kNoon), MoneyError);
  EXPECT_EQ(events(), 0);
}

TEST_F(PaymentsTest, ACouponIsItsOwnEntryBesideTheFullPriceAsRevenue) {
  OrderRequest wanted = request("key-1");
  wanted.coupon = 300;
  const Order order = create(wanted);
  EXPECT_EQ(apply(event("evt-p", "payment.succeeded", order)).applied, Applied::Applied);
  EXPECT_EQ(balance("provider:sandbox"), 2200);
  EXPECT_EQ(balance("site:referral_coupons"), 300);
  EXPECT_EQ(balance("site:revenue"), -2500);
  // A refund pays back what was paid; the coupon stays spent.
  EXPECT_EQ(apply(event("evt-r", "refund.succeeded", order), kNoon + 1h).applied, Applied::Applied);
  EXPECT_EQ(balance("provider:sandbox"), 0);
  EXPECT_EQ(balance("site:refunds"), 2200);
  EXPECT_EQ(balance("site:referral_coupons"), 300);
  wanted.idempotency_key = "key-2";
  EXPECT_EQ(create(wanted, kNoon + 2h).coupon, 0);
}

}  // namespace
}  // namespace tribe::kernel::money::testing
