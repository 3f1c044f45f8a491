#pragma once
#include <functional>
#include <string>

#include "kernel/money/cashier.hpp"
#include "kernel/money/commissions.hpp"
#include "kernel/money/entitlements.hpp"
#include "kernel/money/orders.hpp"
#include "kernel/money/payments.hpp"
#include "kernel/money/referrals.hpp"
#include "kernel/money/sandbox_gateway.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::money {

// The offer list, checkout, the sandbox and manual providers' endpoints, "my account", the
// partner page and the orders API, registered like a plugin's routes (the kernel's "checkout"
// component).
void register_pages(sdk::Registry& registry, OrderBook& orders, PaymentBook& payments,
                    const EntitlementBook& entitlements, const ReferralBook& referrals,
                    const CommissionBook& commissions, const SandboxGateway& gateway,
                    Cashier& cashier);

// "365.00 CNY": minor units shown with the currency's decimals (0 for JPY, KRW, ...; else 2).
std::string display_amount(const Amount& amount);

}  // namespace tribe::kernel::money
