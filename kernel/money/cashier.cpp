#include "kernel/money/cashier.hpp"

#include <stdexcept>

namespace tribe::kernel::money {
namespace {

constexpr std::size_t kMaxKeyLength = 200;
constexpr int kMaxQuantity = 100;

}  // namespace

Cashier::Cashier(OrderBook& orders, PaymentBook& payments, const ReferralBook& referrals,
                 const SandboxGateway& gateway, PaymentSettingsOf settings_of, SaleRules sale_rules)
    : orders_(orders),
      payments_(payments),
      referrals_(referrals),
      gateway_(gateway),
      settings_of_(std::move(settings_of)),
      sale_rules_(std::move(sale_rules)) {}

OrderBook::Created Cashier::order(const std::string& tenant, const std::string& account_id,
                                  const sdk::Offer& offer, const std::string& idempotency_key,
                                  int quantity, Till till,
                                  std::chrono::system_clock::time_point now) {
  if (idempotency_key.empty() || idempotency_key.size() > kMaxKeyLength) {
    throw MoneyError("an order needs an idempotency_key of 1 to " + std::to_string(kMaxKeyLength) +
                     " characters");
  }
  if (quantity < 1 || quantity > kMaxQuantity) {
    throw MoneyError("quantity must be 1 to " + std::to_string(kMaxQuantity));
  }
  if (auto refused = sale_rules_.refusal(tenant, account_id, offer.id, till)) {
    throw NotForBuyer(*refused);
  }
  std::int64_t coupon = sale_rules_.referral_coupon(tenant, offer.id);
  // A binding is made once, at sign-up, so reading it before the order's transaction is exact.
  if (coupon > 0 && !referrals_.referrer_of(tenant, account_id)) coupon = 0;
  const OrderRequest request{idempotency_key,
                             account_id,
                             {offer.id, Amount(offer.price, offer.currency), offer.capacity},
                             quantity,
                             settings_of_(tenant).provider,
                             "",
                             coupon};
  return orders_.create(tenant, request, now);
}

void Cashier::refund(const std::string& tenant, const Order& order, const SiteAddress& site,
                     std::chrono::system_clock::time_point now) {
  if (order.provider == "sandbox") {
    int status = 0;
    try {
      status = gateway_.refund(order, site, settings_of_(tenant).secret);
    } catch (const std::exception& e) {
      throw MoneyError("the sandbox gateway could not reach the site for the refund of order " +
                       order.id + ": " + e.what());
    }
    if (status != 200) {
      throw MoneyError("the site answered " + std::to_string(status) +
                       " to the sandbox gateway's refund of order " + order.id);
    }
    return;
  }
  payments_.apply(tenant,
                  {order.provider, "manual:" + order.id + ":refund", "refund.succeeded", order.id,
                   order.amount},
                  now);
}

}  // namespace tribe::kernel::money
