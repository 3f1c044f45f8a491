#pragma once
#include <functional>
#include <set>
#include <string>

#include "kernel/store/database.hpp"
#include "kernel/store/prepared_statements.hpp"
#include "kernel/store/tenant_statement.hpp"
#include "tribe/sdk/store.hpp"

namespace soci {
class session;
}  // namespace soci

namespace tribe::kernel::store {

class ReadCache;
class SessionPool;

// The TenantStore plugins get: every statement comes from TenantSql, so it is scoped to one
// tenant and to the plugin's own tables, and runs as a statement prepared once per pooled
// session. Outside transaction() each call leases a session from the pool; inside, the store
// handed to the work is bound to the transaction's session.
//
// With a ReadCache (SQLite), reads outside a transaction are answered from it while no write
// to the table happened since; every write raises the table's generation after it executed, and
// a transaction raises the generations of the tables it wrote again after its commit or rollback.
// Reads inside a transaction see its own writes, so they bypass the cache.
class SqlTenantStore final : public sdk::TenantStore {
 public:
  // `read_cache` may be null (PostgreSQL).
  SqlTenantStore(SessionPool& sessions, Backend backend, ReadCache* read_cache, TenantSql sql);

  void insert(const std::string& table, const sdk::Json& row) override;
  std::vector<sdk::Json> select(const sdk::Query& query) override;
  std::optional<sdk::Json> find_one(const std::string& table, const sdk::Json& where) override;
  std::int64_t count(const std::string& table, const sdk::Json& where) override;
  std::int64_t update(const std::string& table, const sdk::Json& where,
                      const sdk::Json& values) override;
  std::int64_t remove(const std::string& table, const sdk::Json& where) override;
  // A transaction() inside the work joins the one already open.
  void transaction(const std::function<void(sdk::TenantStore&)>& work) override;

 private:
  // The session of an open transaction, and the tables its work wrote so far.
  struct Transaction {
    soci::session& session;
    PreparedStatements& statements;
    std::set<std::string> written_tables;
  };

  SqlTenantStore(Transaction& transaction, Backend backend, ReadCache* read_cache, TenantSql sql);

  // Runs `run` on the prepared form of `statement`, on the transaction's session or on one
  // leased for the call; errors become StoreError naming `table`.
  template <class Run>
  auto run_prepared(const std::string& table, const TenantStatement& statement,
                    StatementResult result, Run&& run);
  // The answer from the read cache, or `read()`'s, which is then cached.
  sdk::Json cached_read(const std::string& table, const TenantStatement& statement,
                        const std::function<sdk::Json()>& read);
  std::int64_t execute_changes(const std::string& table, const TenantStatement& statement);

  SessionPool* sessions_ = nullptr;
  Transaction* transaction_ = nullptr;
  Backend backend_;
  ReadCache* read_cache_;
  TenantSql sql_;
};

}  // namespace tribe::kernel::store
