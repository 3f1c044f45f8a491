#pragma once
#include <chrono>
#include <functional>
#include <string>

#include "kernel/money/orders.hpp"
#include "kernel/money/payments.hpp"
#include "kernel/money/sandbox_gateway.hpp"
#include "tribe/sdk/offer.hpp"

namespace tribe::kernel::money {

// How one site is paid: its provider ("sandbox" or "manual") and its webhook signing secret.
struct PaymentSettings {
  std::string provider;
  std::string secret;
};
using PaymentSettingsOf = std::function<PaymentSettings(const std::string& site_id)>;

// Takes orders for a site's offers and has refunds made by the order's provider: the one place
// the checkout pages and the SDK's money service (flows) both go through.
class Cashier {
 public:
  Cashier(OrderBook& orders, PaymentBook& payments, const SandboxGateway& gateway,
          PaymentSettingsOf settings_of);

  // An order of `quantity` x `offer` for the account, paid through the site's provider. The same
  // key with the same parameters returns the order made first. Throws OrderConflict (the key was
  // used with other parameters), SoldOut, or MoneyError for a key that is not 1 to 200
  // characters or a quantity outside 1..100.
  OrderBook::Created order(const std::string& tenant, const std::string& account_id,
                           const sdk::Offer& offer, const std::string& idempotency_key,
                           int quantity, std::chrono::system_clock::time_point now);

  // Refunds a paid order through its provider: the sandbox gateway sends the site its signed
  // refund.succeeded (the path a real gateway's refund takes); a manual order's refund is recorded
  // here, by the admin who paid the money back. Either way the refund is applied once, by
  // PaymentBook. Throws MoneyError when the gateway does not accept it.
  void refund(const std::string& tenant, const Order& order, const SiteAddress& site,
              std::chrono::system_clock::time_point now);

  PaymentSettings settings(const std::string& tenant) const { return settings_of_(tenant); }

 private:
  OrderBook& orders_;
  PaymentBook& payments_;
  const SandboxGateway& gateway_;
  PaymentSettingsOf settings_of_;
};

}  // namespace tribe::kernel::money
