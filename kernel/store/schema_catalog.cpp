#include "kernel/store/schema_catalog.hpp"

#include <soci/soci.h>

namespace tribe::kernel::store {
namespace {

constexpr const char* kSqliteTables =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE "
    "'\\'";
constexpr const char* kPostgresqlTables =
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND "
    "table_type = 'BASE TABLE'";

// pk is the column's 1-based position in the primary key (0: not in it).
constexpr const char* kSqliteFirstKeyColumn =
    "SELECT name FROM pragma_table_info(:table_name) WHERE pk = 1";
constexpr const char* kPostgresqlFirstKeyColumn =
    "SELECT kcu.column_name FROM information_schema.table_constraints tc "
    "JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = tc.constraint_schema "
    "AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name "
    "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() "
    "AND tc.table_name = :table_name AND kcu.ordinal_position = 1";

}  // namespace

std::set<std::string> SchemaCatalog::tables() {
  const char* query = backend_ == Backend::Sqlite ? kSqliteTables : kPostgresqlTables;
  soci::rowset<std::string> names = session_.prepare << query;
  return {names.begin(), names.end()};
}

std::string SchemaCatalog::first_primary_key_column(const std::string& table) {
  const char* query =
      backend_ == Backend::Sqlite ? kSqliteFirstKeyColumn : kPostgresqlFirstKeyColumn;
  std::string column;
  soci::indicator found = soci::i_null;
  session_ << query, soci::use(table, "table_name"), soci::into(column, found);
  return session_.got_data() && found == soci::i_ok ? column : std::string();
}

}  // namespace tribe::kernel::store
