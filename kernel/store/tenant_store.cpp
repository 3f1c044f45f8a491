#include "kernel/store/tenant_store.hpp"

#include <soci/soci.h>

#include <optional>

#include "kernel/store/read_cache.hpp"
#include "kernel/store/session_pool.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::store {
namespace {

// Runs `run` on the prepared `statement`. A statement whose run fails is dropped, since its state
// on the session is unknown. A read that fails on a reused statement is tried once more on a
// fresh one: on PostgreSQL a kept `SELECT *` fails once its table changed shape under it
// (another node migrated), and a read may simply run again.
template <class Run>
auto run_on(soci::session& session, PreparedStatements& statements,
            const TenantStatement& statement, StatementResult result, bool may_retry, Run& run) {
  bool reused = false;
  PreparedStatement& prepared =
      statements.prepare(session, statement.sql, statement.values, result, reused);
  try {
    return run(prepared);
  } catch (...) {
    statements.forget(prepared);
    if (!(reused && may_retry && result != StatementResult::Changes)) throw;
  }
  PreparedStatement& fresh =
      statements.prepare(session, statement.sql, statement.values, result, reused);
  try {
    return run(fresh);
  } catch (...) {
    statements.forget(fresh);
    throw;
  }
}

}  // namespace

SqlTenantStore::SqlTenantStore(SessionPool& sessions, Backend backend, ReadCache* read_cache,
                               TenantSql sql)
    : sessions_(&sessions), backend_(backend), read_cache_(read_cache), sql_(std::move(sql)) {}

SqlTenantStore::SqlTenantStore(Transaction& transaction, Backend backend, ReadCache* read_cache,
                               TenantSql sql)
    : transaction_(&transaction),
      backend_(backend),
      read_cache_(read_cache),
      sql_(std::move(sql)) {}

template <class Run>
auto SqlTenantStore::run_prepared(const std::string& table, const TenantStatement& statement,
                                  StatementResult result, Run&& run) {
  try {
    if (transaction_ != nullptr) {
      // A failed statement has already failed the transaction on PostgreSQL: no retry there.
      return run_on(transaction_->session, transaction_->statements, statement, result, false, run);
    }
    SessionPool::Lease lease(*sessions_);
    return run_on(lease.session(), lease.statements(), statement, result, true, run);
  } catch (...) {
    rethrow_as_store_error(table);
  }
}

sdk::Json SqlTenantStore::cached_read(const std::string& table, const TenantStatement& statement,
                                      const std::function<sdk::Json()>& read) {
  if (read_cache_ == nullptr || transaction_ != nullptr) return read();
  const std::string& tenant = sql_.tenant_id();
  std::string key = statement.sql + '\n' + statement.values.fingerprint();
  if (auto answer = read_cache_->find(tenant, table, key)) return std::move(*answer);
  const ReadCache::Generation read_at = read_cache_->generation(tenant, table);
  sdk::Json answer = read();
  read_cache_->store(tenant, table, std::move(key), read_at, answer);
  return answer;
}

void SqlTenantStore::insert(const std::string& table, const sdk::Json& row) {
  execute_changes(table, sql_.insert(table, row));
}

std::vector<sdk::Json> SqlTenantStore::select(const sdk::Query& query) {
  const TenantStatement statement = sql_.select(query);
  sdk::Json answer = cached_read(query.table, statement, [&] {
    std::vector<sdk::Json> rows =
        run_prepared(query.table, statement, StatementResult::Rows,
                     [](PreparedStatement& prepared) { return prepared.fetch_rows(); });
    sdk::Json array = sdk::Json::array();
    for (sdk::Json& row : rows) array.push_back(std::move(row));
    return array;
  });
  std::vector<sdk::Json> rows;
  rows.reserve(answer.size());
  for (sdk::Json& row : answer) rows.push_back(std::move(row));
  return rows;
}

std::optional<sdk::Json> SqlTenantStore::find_one(const std::string& table,
                                                  const sdk::Json& where) {
  sdk::Query query;
  query.table = table;
  query.where = where;
  query.limit = 1;
  std::vector<sdk::Json> rows = select(query);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t SqlTenantStore::count(const std::string& table, const sdk::Json& where) {
  const TenantStatement statement = sql_.count(table, where);
  return cached_read(table, statement,
                     [&] {
                       return sdk::Json(run_prepared(
                           table, statement, StatementResult::Count,
                           [](PreparedStatement& prepared) { return prepared.fetch_count(); }));
                     })
      .get<std::int64_t>();
}

std::int64_t SqlTenantStore::update(const std::string& table, const sdk::Json& where,
                                    const sdk::Json& values) {
  return execute_changes(table, sql_.update(table, where, values));
}

std::int64_t SqlTenantStore::remove(const std::string& table, const sdk::Json& where) {
  return execute_changes(table, sql_.remove(table, where));
}

std::int64_t SqlTenantStore::execute_changes(const std::string& table,
                                             const TenantStatement& statement) {
  // Raised after the statement ran, whether it succeeded or not: a reader that took the old
  // generation may have read either side of the write.
  struct Invalidate {
    SqlTenantStore& store;
    const std::string& table;
    ~Invalidate() {
      if (store.read_cache_ != nullptr)
        store.read_cache_->invalidate(store.sql_.tenant_id(), table);
    }
  } invalidate{*this, table};
  if (transaction_ != nullptr) transaction_->written_tables.insert(table);
  return run_prepared(table, statement, StatementResult::Changes,
                      [](PreparedStatement& prepared) { return prepared.execute_changes(); });
}

void SqlTenantStore::transaction(const std::function<void(sdk::TenantStore&)>& work) {
  if (transaction_ != nullptr) {
    work(*this);
    return;
  }
  SessionPool::Lease lease(*sessions_);
  Transaction open{lease.session(), lease.statements(), {}};
  // Destroyed after `transaction`, so after the commit or the rollback: readers outside saw the
  // committed rows until then and may have cached them under the generation the writes raised.
  struct InvalidateWritten {
    SqlTenantStore& store;
    Transaction& open;
    ~InvalidateWritten() {
      if (store.read_cache_ == nullptr) return;
      for (const std::string& table : open.written_tables) {
        store.read_cache_->invalidate(store.sql_.tenant_id(), table);
      }
    }
  } invalidate_written{*this, open};
  // Only BEGIN and COMMIT are translated: what `work` throws reaches the caller as it is.
  std::optional<WriteTransaction> transaction;
  try {
    transaction.emplace(*sessions_, backend_, lease.session());
  } catch (...) {
    rethrow_as_store_error("a transaction");
  }
  SqlTenantStore bound(open, backend_, read_cache_, sql_);
  work(bound);
  try {
    transaction->commit();
  } catch (...) {
    rethrow_as_store_error("a transaction");
  }
}

}  // namespace tribe::kernel::store
