#pragma once
#include <set>
#include <string>
#include <vector>

#include "kernel/store/database.hpp"
#include "tribe/sdk/registry.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::store {

// Applies a component's migrations on one session and records them in tribe_migrations.
class Migrator {
 public:
  Migrator(SessionPool& sessions, soci::session& session, Backend backend)
      : sessions_(sessions), session_(session), backend_(backend) {}

  // See Database::migrate.
  int migrate(const std::string& component, const std::vector<sdk::Migration>& migrations,
              const std::string& table_prefix);

 private:
  void create_bookkeeping_table();
  // Takes the instance-wide migration lock for the transaction (several nodes may start at once).
  void lock_migrations();
  bool is_applied(const std::string& component, int version);
  // Returns whether the migration ran (false: another node applied it meanwhile).
  bool apply(const std::string& component, const sdk::Migration& migration,
             const std::string& table_prefix);
  void run_statements(const std::string& component, const sdk::Migration& migration);
  // Refuses tables a plugin migration created or dropped outside its prefix or without a
  // leading tenant_id key.
  void check_plugin_tables(const std::string& component, const sdk::Migration& migration,
                           const std::string& table_prefix, const std::set<std::string>& before);
  void record(const std::string& component, const sdk::Migration& migration);

  SessionPool& sessions_;
  soci::session& session_;
  Backend backend_;
};

}  // namespace tribe::kernel::store
