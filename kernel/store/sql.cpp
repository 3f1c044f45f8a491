#include "kernel/store/sql.hpp"

#include <soci/soci.h>

#include "kernel/store/database.hpp"
#include "kernel/store/session_pool.hpp"

namespace tribe::kernel::store {

void SqlValue::add_to(BoundValues& values) const {
  switch (kind_) {
    case Kind::Text:
      values.add_text(text_);
      break;
    case Kind::Integer:
      values.add_integer(integer_);
      break;
    case Kind::Null:
      values.add_null();
      break;
  }
}

std::string SqlRow::text(std::size_t column) const {
  if (is_null(column)) return {};
  return cells_.at(column).text;
}

std::int64_t SqlRow::integer(std::size_t column) const {
  if (is_null(column)) return 0;
  return cells_.at(column).integer;
}

std::optional<std::int64_t> SqlRow::optional_integer(std::size_t column) const {
  if (is_null(column)) return std::nullopt;
  return cells_.at(column).integer;
}

Sql::Sql(Database& database, soci::session& session) : session_(&session) {
  if (auto slot = database.session_pool().slot_of(session)) {
    session_ = &slot->session;
    statements_ = &slot->statements;
  }
}

template <class Run>
auto Sql::run(const std::string& sql, std::initializer_list<SqlValue> values,
              StatementResult result, std::string_view columns, Run&& run) {
  BoundValues bound;
  for (const SqlValue& value : values) value.add_to(bound);
  if (statements_ == nullptr) {
    PreparedStatement once(*session_, sql, bound, result, columns, {});
    return run(once);
  }
  bool reused = false;
  PreparedStatement& prepared =
      statements_->prepare(*session_, sql, bound, result, reused, columns);
  try {
    return run(prepared);
  } catch (...) {
    // Its state on the session is unknown: the next run prepares it afresh.
    statements_->forget(prepared);
    throw;
  }
}

std::vector<SqlRow> Sql::rows(const std::string& sql, std::string_view columns,
                              std::initializer_list<SqlValue> values) {
  std::vector<CellRow> cells =
      run(sql, values, StatementResult::Cells, columns,
          [](PreparedStatement& prepared) { return prepared.fetch_cells(); });
  std::vector<SqlRow> rows;
  rows.reserve(cells.size());
  for (CellRow& row : cells) rows.emplace_back(std::move(row));
  return rows;
}

std::optional<SqlRow> Sql::row(const std::string& sql, std::string_view columns,
                               std::initializer_list<SqlValue> values) {
  std::vector<SqlRow> found = rows(sql, columns, values);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::int64_t Sql::change(const std::string& sql, std::initializer_list<SqlValue> values) {
  return run(sql, values, StatementResult::Changes, {},
             [](PreparedStatement& prepared) { return prepared.execute_changes(); });
}

}  // namespace tribe::kernel::store
