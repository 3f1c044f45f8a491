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
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::money {

// The offer list, checkout, the sandbox and manual providers' endpoints, "my account", the
// partner page and the orders API, registered like a plugin's routes (the kernel's "checkout"
// component).
void register_pages(sdk::Registry& registry, OrderBook& orders, PaymentBook& payments,
                    const EntitlementBook& entitlements, const ReferralBook& referrals,
                    const CommissionBook& commissions, const SandboxGateway& gateway,
                    Cashier& cashier);

// A member's page and its JSON twin: GET `path` renders `template_name` with `data` (a visitor is
// sent to log in first), GET `api_path` answers the same data (401 for a visitor).
using MemberData = std::function<sdk::Json(const sdk::Request&, sdk::Context&)>;
void add_member_page(sdk::Registry& registry, const std::string& path, const std::string& api_path,
                     const std::string& template_name, MemberData data);

// "365.00 CNY": minor units shown with the currency's decimals (0 for JPY, KRW, ...; else 2).
std::string display_amount(const Amount& amount);

}  // namespace tribe::kernel::money
