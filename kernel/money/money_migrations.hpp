#pragma once
#include <vector>

#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::money {

// The schema of component "kernel.money": the ledger (1), then orders, offer stock and payment
// events (2), entitlements (3), referrals and commissions (4),
// deposits and escrow (5). Ledger::migrate and
// OrderBook::migrate both apply all of it, so whichever runs first leaves the database complete.
// Append new versions; never edit an applied one.
const std::vector<sdk::Migration>& money_migrations();

}  // namespace tribe::kernel::money
