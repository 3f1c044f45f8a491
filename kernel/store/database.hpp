#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "tribe/sdk/registry.hpp"
#include "tribe/sdk/store.hpp"

namespace soci {
class connection_pool;
}

namespace tribe::kernel::store {

enum class Backend { Sqlite, Postgresql };
class GroupCommit;
class ReadCache;
class SessionPool;

// One database for the whole instance: an embedded SQLite file by default, PostgreSQL for hosters.
// On SQLite, TenantStore reads are cached (ReadCache): only this object may write the file, so
// open one Database per SQLite file, in one process. PostgreSQL reads are never cached.
class Database {
 public:
  // "sqlite:PATH" (the file and its folder are created; WAL journal, busy timeout) or
  // "postgresql://user@host:port/db". Throws sdk::StoreError naming the URL (password masked)
  // and what to do.
  static std::unique_ptr<Database> open(const std::string& url, std::size_t pool_size = 8);
  virtual ~Database();

  Backend backend() const { return backend_; }
  const std::string& display_url() const { return display_url_; }  // password masked
  // Sessions leased from here bypass the TenantStore read cache: read and write plugin tables
  // through tenant_store(), and the schema through migrate().
  soci::connection_pool& pool();

  // Applies the not yet applied migrations of `component` ("kernel.tenancy", "plugin.interest")
  // in version order, each in its own transaction together with its row in tribe_migrations.
  // For a plugin component (`table_prefix` not empty), every table a migration creates must be
  // named `<table_prefix>...` and have `tenant_id` as the first primary-key column; a migration
  // breaking that is rolled back and refused with a sdk::StoreError. Returns how many it applied.
  // Empties the read cache and drops the prepared statements, which may name the old schema.
  int migrate(const std::string& component, const std::vector<sdk::Migration>& migrations,
              const std::string& table_prefix = "");

  // pool()'s sessions with their prepared statements (for Sql).
  SessionPool& session_pool() { return *sessions_; }
  // Where the kernel's short, frequent writes (orders, payments) are committed together.
  GroupCommit& group_commit() { return *group_commit_; }

  // A storage handle bound to one tenant and to the tables named `<table_prefix>...`.
  std::unique_ptr<sdk::TenantStore> tenant_store(const std::string& tenant_id,
                                                 const std::string& table_prefix);

 private:
  Database(Backend backend, std::string display_url, std::unique_ptr<soci::connection_pool> pool,
           std::size_t pool_size);

  Backend backend_;
  std::string display_url_;
  std::unique_ptr<SessionPool> sessions_;
  std::unique_ptr<ReadCache> read_cache_;  // SQLite only
  std::unique_ptr<GroupCommit> group_commit_;
};

}  // namespace tribe::kernel::store
