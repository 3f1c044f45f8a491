#include "kernel/store/prepared_statements.hpp"

#include <ctime>

#include "tribe/sdk/store.hpp"

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
    const std::string& name = row.get_properties(column).get_name();
    if (name != "tenant_id") json[name] = column_value(row, column);
  }
  return json;
}

std::string key_of(const std::string& sql, const BoundValues& values, StatementResult result,
                   std::string_view cells) {
  std::string key = std::to_string(static_cast<int>(result));
  key += cells;
  key += '/';
  key += values.kinds();
  key += '\n';
  key += sql;
  return key;
}

}  // namespace

PreparedStatement::PreparedStatement(soci::session& session, const std::string& sql,
                                     const BoundValues& values, StatementResult result,
                                     std::string_view cells, std::string key)
    : key_(std::move(key)), values_(values), cell_kinds_(cells), statement_(session) {
  if (result == StatementResult::Rows) statement_.exchange(soci::into(row_));
  if (result == StatementResult::Count) statement_.exchange(soci::into(count_));
  if (result == StatementResult::Cells) {
    cells_.resize(cell_kinds_.size());
    for (std::size_t column = 0; column < cells_.size(); ++column) {
      Cell& cell = cells_[column];
      if (cell_kinds_[column] == 'i') {
        statement_.exchange(soci::into(cell.integer, cell.indicator));
      } else {
        statement_.exchange(soci::into(cell.text, cell.indicator));
      }
    }
  }
  values_.bind_to(statement_);
  statement_.alloc();
  statement_.prepare(sql, soci::details::st_repeatable_query);
  statement_.define_and_bind();
}

std::vector<sdk::Json> PreparedStatement::fetch_rows() {
  std::vector<sdk::Json> rows;
  if (statement_.execute(true)) {
    do {
      rows.push_back(row_json(row_));
    } while (statement_.fetch());
  }
  return rows;
}

std::int64_t PreparedStatement::fetch_count() {
  statement_.execute(true);
  const long long count = count_;
  // COUNT(*) has one row: this steps past it to the statement's end.
  while (statement_.fetch()) {
  }
  return count;
}

std::int64_t PreparedStatement::execute_changes() {
  statement_.execute(true);
  return statement_.get_affected_rows();
}

std::vector<CellRow> PreparedStatement::fetch_cells() {
  std::vector<CellRow> rows;
  if (statement_.execute(true)) {
    do {
      rows.push_back(cells_);
    } while (statement_.fetch());
  }
  return rows;
}

PreparedStatement& PreparedStatements::prepare(soci::session& session, const std::string& sql,
                                               const BoundValues& values, StatementResult result,
                                               bool& reused, std::string_view cells) {
  std::string key = key_of(sql, values, result, cells);
  auto found = statements_.find(key);
  if (found != statements_.end()) {
    reused = true;
    found->second->rebind(values);
    return *found->second;
  }
  reused = false;
  // Starting over is as good as evicting one by one: a site runs far fewer distinct statements.
  if (statements_.size() >= kCapacity) statements_.clear();
  auto prepared = std::make_unique<PreparedStatement>(session, sql, values, result, cells, key);
  return *statements_.emplace(std::move(key), std::move(prepared)).first->second;
}

void PreparedStatements::forget(const PreparedStatement& statement) {
  const std::string key = statement.key();  // a copy: erasing destroys the statement's own
  statements_.erase(key);
}

void PreparedStatements::match_schema(std::uint64_t schema_generation) {
  if (schema_generation == schema_generation_) return;
  statements_.clear();
  schema_generation_ = schema_generation;
}

}  // namespace tribe::kernel::store
