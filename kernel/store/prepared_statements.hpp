#pragma once
// Statements prepared once per pooled session and run again with new values, so SQLite and
// PostgreSQL parse and plan each statement the store writes once per connection, not per call.
#include <soci/soci.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kernel/store/tenant_statement.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::kernel::store {

// What running a statement gives back, which decides what it is bound into: Rows as JSON (plugin
// tables, any columns), a Count, the number of rows Changed, or Cells of the kinds the kernel
// names ('t' text, 'i' 64-bit integer), since the kernel reads its own tables column by column.
enum class StatementResult { Rows, Count, Changes, Cells };

// One result column's value as a kernel statement reads it.
struct Cell {
  std::string text;
  long long integer = 0;
  soci::indicator indicator = soci::i_ok;
};
using CellRow = std::vector<Cell>;

// One statement prepared on one session. Each run goes to the statement's end, so on SQLite no
// half-read statement keeps an old snapshot of the database open on the connection.
class PreparedStatement {
 public:
  // `cells` names the column kinds for StatementResult::Cells ("tti": text, text, integer).
  PreparedStatement(soci::session& session, const std::string& sql, const BoundValues& values,
                    StatementResult result, std::string_view cells, std::string key);
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  const std::string& key() const { return key_; }
  // Binds `values`, which have this statement's value kinds.
  void rebind(const BoundValues& values) { values_.assign_from(values); }

  // The rows as the plugin wrote them (no tenant_id), for StatementResult::Rows.
  std::vector<sdk::Json> fetch_rows();
  // For StatementResult::Count.
  std::int64_t fetch_count();
  // The number of rows changed, for StatementResult::Changes.
  std::int64_t execute_changes();
  // Every row, for StatementResult::Cells.
  std::vector<CellRow> fetch_cells();

 private:
  std::string key_;
  BoundValues values_;  // the places SOCI reads the values from on each run
  soci::row row_;
  long long count_ = 0;
  std::string cell_kinds_;
  CellRow cells_;  // sized once: SOCI keeps the addresses of its elements
  soci::statement statement_;
};

// The prepared statements of one pooled session, used only by whoever holds the session's lease
// (SessionPool::Lease), so it needs no lock. Bounded: when full it starts over.
class PreparedStatements {
 public:
  // The kernel's own statements (about 60 across money, identity and events) share it with the
  // plugins', so it holds several plugins' worth on top before it starts over.
  static constexpr std::size_t kCapacity = 256;

  // The prepared form of `sql` with `values` bound: the kept one if there is one (`reused` is
  // set), else prepared now and kept. `cells` as for PreparedStatement.
  PreparedStatement& prepare(soci::session& session, const std::string& sql,
                             const BoundValues& values, StatementResult result, bool& reused,
                             std::string_view cells = {});
  // Drops a statement whose run failed: its state on the session is unknown.
  void forget(const PreparedStatement& statement);
  // Drops every statement prepared before the schema changed (Database::migrate), since a
  // prepared `SELECT *` keeps the columns it had when prepared.
  void match_schema(std::uint64_t schema_generation);

 private:
  std::unordered_map<std::string, std::unique_ptr<PreparedStatement>> statements_;
  std::uint64_t schema_generation_ = 0;
};

}  // namespace tribe::kernel::store
