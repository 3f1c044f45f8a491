#include "kernel/store/migrator.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "kernel/store/schema_catalog.hpp"
#include "kernel/store/sql_script.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"
#include "tribe/sdk/store.hpp"

namespace tribe::kernel::store {
namespace {

// The one table without tenant_id: it records which schema this instance's database has, which
// is shared by every tenant; no plugin reaches it (a TenantStore refuses names outside the
// plugin's prefix).
constexpr const char* kCreateBookkeeping =
    "CREATE TABLE IF NOT EXISTS tribe_migrations ("
    "component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL, PRIMARY KEY (component, version))";

// Any fixed number: the key of PostgreSQL's advisory lock that serializes migrations.
constexpr long long kMigrationLockKey = 7362891;

std::string describe(const std::string& component, const sdk::Migration& migration) {
  return "migration " + std::to_string(migration.version) + " '" + migration.name + "' of " +
         component;
}

std::vector<sdk::Migration> in_version_order(const std::string& component,
                                             std::vector<sdk::Migration> migrations) {
  std::sort(migrations.begin(), migrations.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version < 1) {
      throw sdk::StoreError(describe(component, migrations[i]) +
                            " has no valid version; number migrations from 1");
    }
    if (i > 0 && migrations[i].version == migrations[i - 1].version) {
      throw sdk::StoreError(component + " has two migrations with version " +
                            std::to_string(migrations[i].version) + " ('" + migrations[i - 1].name +
                            "' and '" + migrations[i].name + "'); give each its own version");
    }
  }
  return migrations;
}

}  // namespace

int Migrator::migrate(const std::string& component, const std::vector<sdk::Migration>& migrations,
                      const std::string& table_prefix) {
  const auto ordered = in_version_order(component, migrations);
  create_bookkeeping_table();
  int applied = 0;
  for (const sdk::Migration& migration : ordered) {
    try {
      if (is_applied(component, migration.version)) continue;
      if (apply(component, migration, table_prefix)) ++applied;
    } catch (const sdk::StoreError&) {
      throw;
    } catch (const std::exception& e) {
      throw sdk::StoreError(describe(component, migration) + " could not be applied: " + e.what());
    }
  }
  return applied;
}

void Migrator::create_bookkeeping_table() {
  try {
    WriteTransaction transaction(sessions_, backend_, session_);
    lock_migrations();
    // Checked first: PostgreSQL would print a NOTICE for IF NOT EXISTS on every start.
    if (!SchemaCatalog(session_, backend_).tables().contains("tribe_migrations")) {
      session_ << kCreateBookkeeping;
    }
    transaction.commit();
  } catch (...) {
    rethrow_as_store_error("tribe_migrations");
  }
}

void Migrator::lock_migrations() {
  // SQLite needs nothing more: BEGIN IMMEDIATE already holds the database's one write lock.
  if (backend_ == Backend::Postgresql) {
    session_ << "SELECT pg_advisory_xact_lock(:key)", soci::use(kMigrationLockKey, "key");
  }
}

bool Migrator::is_applied(const std::string& component, int version) {
  int found = 0;
  session_ << "SELECT COUNT(*) FROM tribe_migrations WHERE component = :component AND "
              "version = :version",
      soci::use(component, "component"), soci::use(version, "version"), soci::into(found);
  return found > 0;
}

bool Migrator::apply(const std::string& component, const sdk::Migration& migration,
                     const std::string& table_prefix) {
  WriteTransaction transaction(sessions_, backend_, session_);
  lock_migrations();
  if (is_applied(component, migration.version)) return false;
  SchemaCatalog catalog(session_, backend_);
  const std::set<std::string> before = catalog.tables();
  run_statements(component, migration);
  if (!table_prefix.empty()) check_plugin_tables(component, migration, table_prefix, before);
  record(component, migration);
  transaction.commit();
  return true;
}

void Migrator::run_statements(const std::string& component, const sdk::Migration& migration) {
  for (const std::string& statement : split_sql_statements(migration.sql)) {
    try {
      session_ << statement;
    } catch (const std::exception& e) {
      throw sdk::StoreError(describe(component, migration) + " failed, and none of it was " +
                            "applied: " + e.what());
    }
  }
}

void Migrator::check_plugin_tables(const std::string& component, const sdk::Migration& migration,
                                   const std::string& table_prefix,
                                   const std::set<std::string>& before) {
  SchemaCatalog catalog(session_, backend_);
  const std::set<std::string> after = catalog.tables();
  for (const std::string& table : before) {
    if (!after.contains(table) && table.rfind(table_prefix, 0) != 0) {
      throw sdk::StoreError(describe(component, migration) + " drops table '" + table +
                            "', which is not its own (its tables start with '" + table_prefix +
                            "')");
    }
  }
  for (const std::string& table : after) {
    if (before.contains(table)) continue;
    if (table.rfind(table_prefix, 0) != 0) {
      throw sdk::StoreError(describe(component, migration) + " creates table '" + table +
                            "' whose name does not start with '" + table_prefix + "'");
    }
    if (catalog.first_primary_key_column(table) != "tenant_id") {
      throw sdk::StoreError(describe(component, migration) + " creates table '" + table +
                            "' whose primary key does not start with tenant_id; declare "
                            "PRIMARY KEY (tenant_id, ...)");
    }
  }
}

void Migrator::record(const std::string& component, const sdk::Migration& migration) {
  const std::string applied_at = utc_timestamp();
  session_ << "INSERT INTO tribe_migrations (component, version, name, applied_at) VALUES "
              "(:component, :version, :name, :applied_at)",
      soci::use(component, "component"), soci::use(migration.version, "version"),
      soci::use(migration.name, "name"), soci::use(applied_at, "applied_at");
}

}  // namespace tribe::kernel::store
