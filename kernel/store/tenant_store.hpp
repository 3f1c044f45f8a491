#pragma once
#include <functional>

#include "kernel/store/database.hpp"
#include "kernel/store/tenant_statement.hpp"
#include "tribe/sdk/store.hpp"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace tribe::kernel::store {

// The TenantStore plugins get: every statement comes from TenantSql, so it is scoped to one
// tenant and to the plugin's own tables. Outside transaction() each call leases a session from
// the pool; inside, the store handed to the work is bound to the transaction's session.
class SqlTenantStore final : public sdk::TenantStore {
 public:
  SqlTenantStore(soci::connection_pool& pool, Backend backend, TenantSql sql);

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
  SqlTenantStore(soci::session& session, Backend backend, TenantSql sql);

  // Runs `use` on the bound session, or on one leased for the call; errors become StoreError.
  template <class Use>
  auto with_session(const std::string& table, Use&& use);
  std::int64_t execute_changes(const std::string& table, TenantStatement statement);

  soci::connection_pool* pool_ = nullptr;
  soci::session* session_ = nullptr;
  Backend backend_;
  TenantSql sql_;
};

}  // namespace tribe::kernel::store
