#pragma once
// The statements a TenantStore runs, written by the kernel: every one filters or fills
// tenant_id with the bound tenant, and every value is bound, never pasted into the SQL.
#include <soci/soci-backend.h>

#include <deque>
#include <string>

#include "tribe/sdk/json.hpp"
#include "tribe/sdk/store.hpp"

namespace soci {
class statement;
}  // namespace soci

namespace tribe::kernel::store {

// Values bound by name (:v0, :v1, ...) to a statement, kept at stable addresses for SOCI.
class BoundValues {
 public:
  // Each returns the placeholder to write into the SQL; `column` names the value in errors.
  std::string add(const sdk::Json& value, const std::string& column);
  std::string add_tenant(const std::string& tenant_id);
  // Values bound by position, for SQL the kernel writes with its own placeholder names.
  void add_text(std::string text);
  void add_integer(long long integer);
  void add_null();
  void bind_to(soci::statement& statement);

  // The kinds of the values, null counted as a kind of its own: a prepared statement bound to
  // one set of values can take any other set with the same kinds.
  std::string kinds() const;
  // The values themselves, written so that different values never give the same text.
  std::string fingerprint() const;
  // Copies the values of `other`, which has the same kinds(), into the bound places.
  void assign_from(const BoundValues& other);

 private:
  enum class Kind { Text, Integer, Real };
  struct Value {
    std::string name;
    Kind kind = Kind::Text;
    std::string text;
    long long integer = 0;
    double real = 0;
    soci::indicator indicator = soci::i_ok;
  };
  std::deque<Value> values_;
};

struct TenantStatement {
  std::string sql;
  BoundValues values;
};

// Writes the statements for one tenant over the tables named `<table_prefix>...`, refusing any
// table or column name a plugin may not use.
class TenantSql {
 public:
  TenantSql(std::string tenant_id, std::string table_prefix);

  const std::string& tenant_id() const { return tenant_id_; }

  // Throws sdk::StoreError unless `table` is `<prefix>[a-z0-9_]+`.
  void check_table(const std::string& table) const;

  TenantStatement insert(const std::string& table, const sdk::Json& row) const;
  TenantStatement select(const sdk::Query& query) const;
  TenantStatement count(const std::string& table, const sdk::Json& where) const;
  TenantStatement update(const std::string& table, const sdk::Json& where,
                         const sdk::Json& values) const;
  TenantStatement remove(const std::string& table, const sdk::Json& where) const;

 private:
  // " WHERE tenant_id = :tenant AND ..." (a null value matches with IS NULL).
  std::string where_clause(const std::string& table, const sdk::Json& where,
                           BoundValues& values) const;

  std::string tenant_id_;
  std::string table_prefix_;
};

}  // namespace tribe::kernel::store
