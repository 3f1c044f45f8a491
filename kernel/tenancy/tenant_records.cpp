#include "kernel/tenancy/tenant_records.hpp"

#include <soci/soci.h>

namespace tribe::kernel::tenancy {

const std::vector<sdk::Migration>& tenancy_migrations() {
  static const std::vector<sdk::Migration> migrations = {
      {1, "tenants",
       "CREATE TABLE tribe_tenants ("
       " tenant_id TEXT NOT NULL,"
       " name TEXT NOT NULL,"
       " community_type TEXT NOT NULL,"
       " source_file TEXT NOT NULL,"
       " PRIMARY KEY (tenant_id))"},
  };
  return migrations;
}

void record_tenants(store::Database& database, const std::vector<config::SiteConfig>& sites) {
  soci::session session(database.pool());
  soci::transaction transaction(session);
  for (const auto& site : sites) {
    std::string file = site.file.string();
    session << "INSERT INTO tribe_tenants (tenant_id, name, community_type, source_file)"
               " VALUES (:id, :name, :type, :file)"
               " ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name,"
               " community_type = excluded.community_type, source_file = excluded.source_file",
        soci::use(site.id), soci::use(site.name), soci::use(site.type), soci::use(file);
  }
  transaction.commit();
}

}  // namespace tribe::kernel::tenancy
