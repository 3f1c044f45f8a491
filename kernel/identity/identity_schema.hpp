#pragma once
#include <vector>

#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::identity {

// The migrations of component "kernel.identity": tribe_accounts, tribe_sessions and
// tribe_login_failures. Times compared in SQL are BIGINT Unix seconds.
const std::vector<sdk::Migration>& identity_migrations();

}  // namespace tribe::kernel::identity
