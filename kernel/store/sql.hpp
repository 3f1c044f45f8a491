#pragma once
// The kernel's own SQL (money, identity, events), run as statements prepared once per pooled
// session and run again with new values: SQLite and PostgreSQL parse and plan each of them once
// per connection instead of on every call, which was a quarter of a checkout's CPU.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/store/prepared_statements.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::store {

class Database;

// A value bound to a kernel statement: text, a 64-bit integer, or NULL.
class SqlValue {
 public:
  SqlValue(std::string text) : kind_(Kind::Text), text_(std::move(text)) {}
  SqlValue(const char* text) : kind_(Kind::Text), text_(text) {}
  SqlValue(int integer) : kind_(Kind::Integer), integer_(integer) {}
  SqlValue(long integer) : kind_(Kind::Integer), integer_(integer) {}
  SqlValue(long long integer) : kind_(Kind::Integer), integer_(integer) {}
  SqlValue(std::nullptr_t) : kind_(Kind::Null) {}
  SqlValue(std::optional<std::int64_t> integer)
      : kind_(integer ? Kind::Integer : Kind::Null), integer_(integer.value_or(0)) {}

  void add_to(BoundValues& values) const;

 private:
  enum class Kind { Text, Integer, Null };
  Kind kind_;
  std::string text_;
  long long integer_ = 0;
};

// One result row, read column by column in the kinds the statement named.
class SqlRow {
 public:
  explicit SqlRow(CellRow cells) : cells_(std::move(cells)) {}

  bool is_null(std::size_t column) const { return cells_.at(column).indicator == soci::i_null; }
  // "" for NULL.
  std::string text(std::size_t column) const;
  // 0 for NULL.
  std::int64_t integer(std::size_t column) const;
  std::optional<std::int64_t> optional_integer(std::size_t column) const;

 private:
  CellRow cells_;
};

// Runs kernel SQL on one session, which the caller holds (leased from Database::pool()), inside
// or outside its transaction. Placeholders bind by position, in the order the values are given.
class Sql {
 public:
  Sql(Database& database, soci::session& session);
  Sql(const Sql&) = delete;
  Sql& operator=(const Sql&) = delete;

  // The rows of a SELECT; `columns` names the kind of each result column in order: 't' text,
  // 'i' integer ("tti").
  std::vector<SqlRow> rows(const std::string& sql, std::string_view columns,
                           std::initializer_list<SqlValue> values);
  // The first row, if any (the statement still runs to its end).
  std::optional<SqlRow> row(const std::string& sql, std::string_view columns,
                            std::initializer_list<SqlValue> values);
  // An INSERT, UPDATE or DELETE; returns how many rows it changed.
  std::int64_t change(const std::string& sql, std::initializer_list<SqlValue> values);

 private:
  template <class Run>
  auto run(const std::string& sql, std::initializer_list<SqlValue> values, StatementResult result,
           std::string_view columns, Run&& run);

  soci::session* session_;
  PreparedStatements* statements_ = nullptr;  // null: a session not from the pool, never kept
};

}  // namespace tribe::kernel::store
