#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kernel/money/ledger.hpp"
#include "kernel/money/money.hpp"
#include "kernel/money/orders.hpp"
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

// A payment provider's notice (a verified webhook, or an admin confirming a bank transfer).
struct PaymentEvent {
  std::string provider;  // who sent it: "sandbox", "manual", ...
  std::string id;        // the provider's event id: applied once per tenant and provider
  std::string type;      // "payment.succeeded" | "payment.failed" | "refund.succeeded"
  std::string order_id;
  Amount amount;
};

enum class Applied {
  Applied,       // the order changed state (and the ledger, for money moved)
  Duplicate,     // this event id was received before; nothing happened
  UnknownOrder,  // no such order in the tenant
  Mismatch,      // amount, currency or provider differ from the order; nothing credited
  Ignored,       // not applicable to the order's state, or an unknown type
};

// "applied", "duplicate", "unknown_order", "mismatch", "ignored": as stored and logged.
std::string to_string(Applied applied);

struct PaymentOutcome {
  Applied applied;
  std::optional<Order> order;  // after the event
  std::string detail;          // for the log line and the admin
};

// Applies payment events to orders exactly once: each (tenant, provider, event id) is recorded in
// tribe_payment_events in the same transaction as what the event changes, so a redelivery, also a
// concurrent one, finds the row and changes nothing.
class PaymentBook {
 public:
  PaymentBook(store::Database& database, OrderBook& orders);

  // Called inside the event's transaction after an order became Paid (on_paid) or Refunded
  // (on_refunded): grant or revoke what the order buys there. A hook that throws rolls the whole
  // event back, its record included, so the provider's redelivery tries again.
  using PaidHook =
      std::function<void(soci::session& in_transaction, const std::string& tenant, const Order&)>;
  void on_paid(PaidHook hook);
  void on_refunded(PaidHook hook);

  // In one write transaction: records the event (a duplicate -> Duplicate, nothing else), then by
  // type and the order's state:
  //   payment.succeeded on Pending -> Paid; ledger "order:<id>:payment":
  //     provider:<provider> +amount, site:referral_coupons +coupon (when the order used one),
  //     site:revenue -(amount + coupon)
  //   payment.succeeded on Expired -> Paid if the capacity can be taken again; if it cannot, the
  //     order is Cancelled and both "order:<id>:payment" and "order:<id>:refund" are posted: the
  //     money came in and is owed back (refund it at the provider; detail says so)
  //   payment.failed on Pending -> Cancelled, capacity released
  //   refund.succeeded on Paid or Fulfilled -> Refunded, capacity released; ledger
  //     "order:<id>:refund": site:refunds +amount, provider:<provider> -amount
  //   anything else -> Ignored (recorded, so a redelivery is a Duplicate)
  // An event that would change the order but whose amount, currency or provider differ from the
  // order's is a Mismatch: recorded, nothing changed or credited.
  PaymentOutcome apply(const std::string& tenant, const PaymentEvent& event,
                       std::chrono::system_clock::time_point now);

  // Paid -> Fulfilled inside the caller's transaction, once its hooks granted what the order
  // buys; a no-op on a Fulfilled order. Throws MoneyError for a missing order or another state.
  void mark_fulfilled(soci::session& in_transaction, const std::string& tenant,
                      const std::string& order_id);

 private:
  // After the event was recorded, in its transaction.
  PaymentOutcome apply_recorded(soci::session& session, const std::string& tenant,
                                const PaymentEvent& event,
                                std::chrono::system_clock::time_point now);

  store::Database& database_;
  OrderBook& orders_;
  Ledger ledger_;
  std::vector<PaidHook> paid_hooks_;
  std::vector<PaidHook> refunded_hooks_;
};

}  // namespace tribe::kernel::money
