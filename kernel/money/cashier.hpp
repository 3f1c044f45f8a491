#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "kernel/money/orders.hpp"
#include "kernel/money/payments.hpp"
#include "kernel/money/referrals.hpp"
#include "kernel/money/sandbox_gateway.hpp"
#include "tribe/sdk/offer.hpp"

namespace tribe::kernel::money {

// How one site is paid: its provider ("sandbox" or "manual") and its webhook signing secret.
struct PaymentSettings {
  std::string provider;
  std::string secret;
};
using PaymentSettingsOf = std::function<PaymentSettings(const std::string& site_id)>;

// Where an order is placed: the kernel's offer pages and POST /api/orders, or a plugin's flow.
enum class Till { OfferPages, Plugin };

// The site's rules on who may order an offer and where (the offer's `requires_tags` and
// `sold_by`).
struct SaleRules {
  // Why the account may not order the offer at this till, or nullopt when it may.
  std::function<std::optional<std::string>(const std::string& site_id,
                                           const std::string& account_id,
                                           const std::string& offer_id, Till till)>
      refusal;
  // Whether the offer pages list the offer (not one a plugin sells on its own pages).
  std::function<bool(const std::string& site_id, const std::string& offer_id)> listed;
  // Minor units off the first order of the offer by a member a partner brought (the offer's
  // `referral_coupon`); 0: none.
  std::function<std::int64_t(const std::string& site_id, const std::string& offer_id)>
      referral_coupon;
};

// The offer is not sold to this buyer or not at this till.
class NotForBuyer : public MoneyError {
 public:
  using MoneyError::MoneyError;
};

// Takes orders for a site's offers and has refunds made by the order's provider: the one place
// the checkout pages and the SDK's money service (flows) both go through.
class Cashier {
 public:
  Cashier(OrderBook& orders, PaymentBook& payments, const ReferralBook& referrals,
          const SandboxGateway& gateway, PaymentSettingsOf settings_of, SaleRules sale_rules);

  // An order of `quantity` x `offer` for the account, placed at `till` and paid through the
  // site's provider; a member a partner brought gets the offer's referral coupon off their first
  // order of it. The same key with the same parameters returns the order made first. Throws
  // OrderConflict (the key was used with other parameters), SoldOut, NotForBuyer (the site's
  // SaleRules refuse it), or MoneyError for a key that is not 1 to 200 characters or a quantity
  // outside 1..100.
  OrderBook::Created order(const std::string& tenant, const std::string& account_id,
                           const sdk::Offer& offer, const std::string& idempotency_key,
                           int quantity, Till till, std::chrono::system_clock::time_point now);

  // Whether the site's offer pages list the offer.
  bool listed(const std::string& tenant, const std::string& offer_id) const {
    return sale_rules_.listed(tenant, offer_id);
  }
  // The offer's referral coupon in minor units; 0: none.
  std::int64_t referral_coupon(const std::string& tenant, const std::string& offer_id) const {
    return sale_rules_.referral_coupon(tenant, offer_id);
  }

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
  const ReferralBook& referrals_;
  const SandboxGateway& gateway_;
  PaymentSettingsOf settings_of_;
  SaleRules sale_rules_;
};

}  // namespace tribe::kernel::money
