#include "kernel/store/tenant_store.hpp"

#include <soci/soci.h>

#include <ctime>
#include <optional>

#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::store {
namespace {

std::string date_text(const std::tm& time) {
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &time);
  return text;
}

sdk::Json column_value(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return nullptr;
  const soci::column_properties& properties = row.get_properties(column);
  switch (properties.get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml:
      return row.get<std::string>(column);
    case soci::dt_double:
      return row.get<double>(column);
    case soci::dt_integer:
      return row.get<int>(column);
    case soci::dt_long_long:
      return row.get<long long>(column);
    case soci::dt_unsigned_long_long:
      return row.get<unsigned long long>(column);
    case soci::dt_date:
      return date_text(row.get<std::tm>(column));
    case soci::dt_blob:
      break;
  }
  throw sdk::StoreError("column " + properties.get_name() +
                        " holds binary data, which the store does not read; store text instead");
}

// The row as the plugin wrote it: tenant_id is the store's business, not the plugin's.
sdk::Json row_json(const soci::row& row) {
  sdk::Json json = sdk::Json::object();
  for (std::size_t column = 0; column < row.size(); ++column) {
    const std::string name = row.get_properties(column).get_name();
    if (name != "tenant_id") json[name] = column_value(row, column);
  }
  return json;
}

// The statement run once with the values bound; `extra` adds intos before it is prepared.
template <class Extra>
soci::statement prepare_statement(soci::session& session, TenantStatement& statement,
                                  Extra&& extra) {
  soci::statement prepared(session);
  extra(prepared);
  statement.values.bind_to(prepared);
  prepared.alloc();
  prepared.prepare(statement.sql, soci::details::st_one_time_query);
  prepared.define_and_bind();
  return prepared;
}

}  // namespace

SqlTenantStore::SqlTenantStore(soci::connection_pool& pool, Backend backend, TenantSql sql)
    : pool_(&pool), backend_(backend), sql_(std::move(sql)) {}

SqlTenantStore::SqlTenantStore(soci::session& session, Backend backend, TenantSql sql)
    : session_(&session), backend_(backend), sql_(std::move(sql)) {}

template <class Use>
auto SqlTenantStore::with_session(const std::string& table, Use&& use) {
  try {
    if (session_ != nullptr) return use(*session_);
    soci::session leased(*pool_);
    return use(leased);
  } catch (...) {
    rethrow_as_store_error(table);
  }
}

void SqlTenantStore::insert(const std::string& table, const sdk::Json& row) {
  execute_changes(table, sql_.insert(table, row));
}

std::vector<sdk::Json> SqlTenantStore::select(const sdk::Query& query) {
  TenantStatement statement = sql_.select(query);
  return with_session(query.table, [&](soci::session& session) {
    soci::row row;
    soci::statement st = prepare_statement(
        session, statement, [&](soci::statement& s) { s.exchange(soci::into(row)); });
    std::vector<sdk::Json> rows;
    if (st.execute(true)) {
      do {
        rows.push_back(row_json(row));
      } while (st.fetch());
    }
    return rows;
  });
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
  TenantStatement statement = sql_.count(table, where);
  return with_session(table, [&](soci::session& session) {
    long long rows = 0;
    soci::statement st = prepare_statement(
        session, statement, [&](soci::statement& s) { s.exchange(soci::into(rows)); });
    st.execute(true);
    return static_cast<std::int64_t>(rows);
  });
}

std::int64_t SqlTenantStore::update(const std::string& table, const sdk::Json& where,
                                    const sdk::Json& values) {
  return execute_changes(table, sql_.update(table, where, values));
}

std::int64_t SqlTenantStore::remove(const std::string& table, const sdk::Json& where) {
  return execute_changes(table, sql_.remove(table, where));
}

std::int64_t SqlTenantStore::execute_changes(const std::string& table, TenantStatement statement) {
  return with_session(table, [&](soci::session& session) {
    soci::statement st = prepare_statement(session, statement, [](soci::statement&) {});
    st.execute(true);
    return static_cast<std::int64_t>(st.get_affected_rows());
  });
}

void SqlTenantStore::transaction(const std::function<void(sdk::TenantStore&)>& work) {
  if (session_ != nullptr) {
    work(*this);
    return;
  }
  // Only BEGIN and COMMIT are translated: what `work` throws reaches the caller as it is.
  soci::session leased(*pool_);
  std::optional<WriteTransaction> transaction;
  try {
    transaction.emplace(leased, backend_);
  } catch (...) {
    rethrow_as_store_error("a transaction");
  }
  SqlTenantStore bound(leased, backend_, sql_);
  work(bound);
  try {
    transaction->commit();
  } catch (...) {
    rethrow_as_store_error("a transaction");
  }
}

}  // namespace tribe::kernel::store
