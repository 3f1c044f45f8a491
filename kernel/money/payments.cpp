#include "kernel/money/payments.hpp"

#include <soci/soci.h>

#include "kernel/money/offer_stock.hpp"
#include "kernel/money/order_rows.hpp"
#include "kernel/store/group_commit.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"

namespace tribe::kernel::money {
namespace {

constexpr const char* kEvents = "tribe_payment_events";
constexpr const char* kPaymentSucceeded = "payment.succeeded";
constexpr const char* kPaymentFailed = "payment.failed";
constexpr const char* kRefundSucceeded = "refund.succeeded";
constexpr std::size_t kMaxIdLength = 200;
constexpr const char* kReferralCoupons = "site:referral_coupons";

std::string in_quotes(const std::string& text) {
  return "'" + text + "'";
}

std::string shown(const Amount& amount) {
  return std::to_string(amount.minor_units()) + " " + amount.currency();
}

void validate(const std::string& tenant, const PaymentEvent& event) {
  const std::string where = "payment event " + in_quotes(event.id);
  if (tenant.empty()) throw MoneyError(where + " needs a tenant");
  if (!is_provider_name(event.provider)) {
    throw MoneyError(where + " names the provider " + in_quotes(event.provider) +
                     "; use the provider's name, e.g. 'sandbox'");
  }
  if (event.id.empty() || event.id.size() > kMaxIdLength) {
    throw MoneyError("a payment event of provider " + in_quotes(event.provider) +
                     " needs the provider's event id, of 1 to " + std::to_string(kMaxIdLength) +
                     " characters");
  }
  if (event.type.empty()) throw MoneyError(where + " needs a type, e.g. 'payment.succeeded'");
  if (event.order_id.empty()) throw MoneyError(where + " names no order");
}

// Records the event in the open transaction; false when it was received before (the primary key
// decides, also between concurrent deliveries: PostgreSQL waits for the other to commit).
bool record_event(store::Sql& sql, const std::string& tenant, const PaymentEvent& event,
                  std::chrono::system_clock::time_point now) {
  return sql.change(
             "INSERT INTO tribe_payment_events (tenant_id, provider, event_id, type,"
             " order_id, amount, currency, outcome, received_at)"
             " VALUES (:tenant, :provider, :id, :type, :order_id, :amount,"
             " :currency, '', :received_at) ON CONFLICT DO NOTHING",
             {tenant, event.provider, event.id, event.type, event.order_id,
              event.amount.minor_units(), event.amount.currency(), store::unix_seconds(now)}) == 1;
}

void set_outcome(store::Sql& sql, const std::string& tenant, const PaymentEvent& event,
                 Applied applied) {
  sql.change(
      "UPDATE tribe_payment_events SET outcome = :outcome"
      " WHERE tenant_id = :tenant AND provider = :provider AND event_id = :id",
      {to_string(applied), tenant, event.provider, event.id});
}

std::string first_outcome(store::Sql& sql, const std::string& tenant, const PaymentEvent& event) {
  auto row = sql.row(
      "SELECT outcome FROM tribe_payment_events"
      " WHERE tenant_id = :tenant AND provider = :provider AND event_id = :id",
      "t", {tenant, event.provider, event.id});
  return row ? row->text(0) : std::string();
}

// Revenue is the offer's price; a referral coupon is what the site gave away to earn it, in its
// own account, so that revenue less coupons is what the provider collected.
Transfer payment_transfer(const Order& order) {
  const Amount& amount = order.amount;
  Transfer transfer{"order:" + order.id + ":payment",
                    "payment",
                    "order " + order.id + " of offer " + order.offer_id,
                    {{"provider:" + order.provider, amount}}};
  if (order.coupon > 0) {
    transfer.entries.push_back({kReferralCoupons, Amount(order.coupon, amount.currency())});
  }
  transfer.entries.push_back(
      {"site:revenue", Amount(-(amount.minor_units() + order.coupon), amount.currency())});
  return transfer;
}

Transfer refund_transfer(const Order& order) {
  const Amount& amount = order.amount;
  return {"order:" + order.id + ":refund",
          "refund",
          "order " + order.id + " of offer " + order.offer_id,
          {{"site:refunds", amount},
           {"provider:" + order.provider, Amount(-amount.minor_units(), amount.currency())}}};
}

// One event inside its transaction, with the order it names locked.
struct Applying {
  soci::session& session;
  const std::string& tenant;
  const PaymentEvent& event;
  std::chrono::system_clock::time_point now;
  OrderRows& rows;
  OfferStock& stock;
  Ledger& ledger;

  std::string order_name(const Order& order) const {
    return "order " + in_quotes(order.id) + " of tenant " + in_quotes(tenant);
  }

  // Why the event cannot be the order's (checked once the event applies to the order's state).
  std::optional<std::string> mismatch(const Order& order, bool with_amount) const {
    if (event.provider != order.provider) {
      return order_name(order) + " is paid through " + in_quotes(order.provider) + ", but event " +
             in_quotes(event.id) + " comes from " + in_quotes(event.provider) + "; nothing applied";
    }
    if (with_amount && !(event.amount == order.amount)) {
      return order_name(order) + " is for " + shown(order.amount) + ", but event " +
             in_quotes(event.id) + " (" + event.type + ") is for " + shown(event.amount) +
             "; nothing credited: settle the difference with the provider";
    }
    return std::nullopt;
  }

  PaymentOutcome ignored(const Order& order, const std::string& applies_to) const {
    return {Applied::Ignored, order,
            event.type + " " + in_quotes(event.id) + " ignored: " + order_name(order) + " is " +
                to_string(order.state) + ", and it applies to " + applies_to + " orders"};
  }

  void move(Order& order, OrderState to) {
    std::optional<std::chrono::system_clock::time_point> paid_at;
    if (to == OrderState::Paid) paid_at = now;
    if (!rows.move(tenant, order.id, order.state, to, paid_at)) {
      throw MoneyError(order_name(order) + " changed while event " + in_quotes(event.id) +
                       " was applied; nothing was applied, deliver the event again");
    }
    order.state = to;
    if (paid_at) order.paid_at = paid_at;
  }
};

}  // namespace

std::string to_string(Applied applied) {
  switch (applied) {
    case Applied::Applied:
      return "applied";
    case Applied::Duplicate:
      return "duplicate";
    case Applied::UnknownOrder:
      return "unknown_order";
    case Applied::Mismatch:
      return "mismatch";
    case Applied::Ignored:
      return "ignored";
  }
  return "unknown";
}

PaymentBook::PaymentBook(store::Database& database, OrderBook& orders)
    : database_(database), orders_(orders), ledger_(database) {}

void PaymentBook::on_paid(PaidHook hook) {
  paid_hooks_.push_back(std::move(hook));
}

void PaymentBook::on_refunded(PaidHook hook) {
  refunded_hooks_.push_back(std::move(hook));
}

namespace {

PaymentOutcome succeed(Applying& applying, Order order,
                       const std::vector<PaymentBook::PaidHook>& hooks) {
  if (order.state != OrderState::Pending && order.state != OrderState::Expired) {
    return applying.ignored(order, "pending or expired");
  }
  if (auto why = applying.mismatch(order, true)) return {Applied::Mismatch, order, *why};
  if (order.state == OrderState::Expired &&
      !applying.stock.take(applying.tenant, order.offer_id, order.quantity)) {
    applying.move(order, OrderState::Cancelled);
    applying.ledger.post_in(applying.session, applying.tenant, payment_transfer(order));
    applying.ledger.post_in(applying.session, applying.tenant, refund_transfer(order));
    return {Applied::Applied, order,
            applying.order_name(order) + " was paid after its reservation ended and offer " +
                in_quotes(order.offer_id) + " sold out meanwhile: cancelled; refund " +
                shown(order.amount) + " at " + in_quotes(order.provider)};
  }
  applying.move(order, OrderState::Paid);
  applying.ledger.post_in(applying.session, applying.tenant, payment_transfer(order));
  for (const auto& hook : hooks) hook(applying.session, applying.tenant, order);
  return {Applied::Applied, order, applying.order_name(order) + " paid"};
}

PaymentOutcome fail(Applying& applying, Order order) {
  if (order.state != OrderState::Pending) return applying.ignored(order, "pending");
  if (auto why = applying.mismatch(order, false)) return {Applied::Mismatch, order, *why};
  applying.move(order, OrderState::Cancelled);
  applying.stock.give_back(applying.tenant, order.offer_id, order.quantity);
  return {Applied::Applied, order,
          applying.order_name(order) + " cancelled: its payment failed, the capacity is free"};
}

PaymentOutcome refund(Applying& applying, Order order,
                      const std::vector<PaymentBook::PaidHook>& hooks) {
  if (order.state != OrderState::Paid && order.state != OrderState::Fulfilled) {
    return applying.ignored(order, "paid or fulfilled");
  }
  if (auto why = applying.mismatch(order, true)) return {Applied::Mismatch, order, *why};
  applying.move(order, OrderState::Refunded);
  applying.stock.give_back(applying.tenant, order.offer_id, order.quantity);
  applying.ledger.post_in(applying.session, applying.tenant, refund_transfer(order));
  for (const auto& hook : hooks) hook(applying.session, applying.tenant, order);
  return {Applied::Applied, order, applying.order_name(order) + " refunded"};
}

}  // namespace

PaymentOutcome PaymentBook::apply(const std::string& tenant, const PaymentEvent& event,
                                  std::chrono::system_clock::time_point now) {
  validate(tenant, event);
  std::optional<PaymentOutcome> outcome;
  std::string first_time;  // what the first delivery did, when this is a redelivery
  try {
    // Committed together with the other webhooks and orders arriving meanwhile (SQLite).
    database_.group_commit().run([&](soci::session& session) {
      store::Sql sql(database_, session);
      if (record_event(sql, tenant, event, now)) {
        outcome = apply_recorded(session, tenant, event, now);
        set_outcome(sql, tenant, event, outcome->applied);
      } else {
        first_time = first_outcome(sql, tenant, event);
      }
      return true;
    });
  } catch (const soci::soci_error&) {
    store::rethrow_as_store_error(kEvents);
  }
  if (outcome) return std::move(*outcome);
  // Read after the session went back to the pool: holding two at once could exhaust it.
  return {Applied::Duplicate, orders_.find(tenant, event.order_id),
          "event " + in_quotes(event.id) + " of provider " + in_quotes(event.provider) +
              " was received before (" + first_time + "); nothing applied again"};
}

PaymentOutcome PaymentBook::apply_recorded(soci::session& session, const std::string& tenant,
                                           const PaymentEvent& event,
                                           std::chrono::system_clock::time_point now) {
  OrderRows rows(database_, session);
  OfferStock stock(database_, session);
  Applying applying{session, tenant, event, now, rows, stock, ledger_};
  auto order = rows.lock(tenant, event.order_id);
  if (!order) {
    return {Applied::UnknownOrder, std::nullopt,
            "event " + in_quotes(event.id) + " names order " + in_quotes(event.order_id) +
                ", which tenant " + in_quotes(tenant) + " does not have; nothing applied"};
  }
  if (event.type == kPaymentSucceeded) return succeed(applying, std::move(*order), paid_hooks_);
  if (event.type == kPaymentFailed) return fail(applying, std::move(*order));
  if (event.type == kRefundSucceeded) {
    return refund(applying, std::move(*order), refunded_hooks_);
  }
  return {Applied::Ignored, std::move(*order),
          "event " + in_quotes(event.id) + " has the type " + in_quotes(event.type) +
              ", which Tribe does not apply (it applies payment.succeeded, payment.failed and "
              "refund.succeeded)"};
}

void PaymentBook::mark_fulfilled(soci::session& in_transaction, const std::string& tenant,
                                 const std::string& order_id) {
  OrderRows rows(database_, in_transaction);
  // One compare-and-set in the usual case; the order is read only to say why it did not move.
  if (rows.move(tenant, order_id, OrderState::Paid, OrderState::Fulfilled)) return;
  const auto order = rows.find(tenant, order_id);
  const std::string name = "order " + in_quotes(order_id) + " of tenant " + in_quotes(tenant);
  if (!order) throw MoneyError(name + " does not exist; nothing to mark fulfilled");
  if (order->state == OrderState::Fulfilled) return;
  throw MoneyError(name + " is " + to_string(order->state) +
                   "; only a paid order can be marked fulfilled");
}

}  // namespace tribe::kernel::money
