#pragma once
#include <vector>

#include "kernel/config/site_config.hpp"
#include "kernel/store/database.hpp"

namespace tribe::kernel::tenancy {

// The kernel.tenancy migrations (the tribe_tenants table).
const std::vector<sdk::Migration>& tenancy_migrations();

// Inserts or refreshes one row per site in tribe_tenants, so hosters can list the tenants an
// instance serves (and later suspend or export them).
void record_tenants(store::Database& database, const std::vector<config::SiteConfig>& sites);

}  // namespace tribe::kernel::tenancy
