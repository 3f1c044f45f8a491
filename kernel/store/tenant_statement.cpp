#include "kernel/store/tenant_statement.hpp"

#include <soci/soci.h>

#include <charconv>
#include <limits>

namespace tribe::kernel::store {
namespace {

constexpr const char* kTenantColumn = "tenant_id";
// PostgreSQL truncates longer identifiers silently, which would make two names one.
constexpr std::size_t kMaxIdentifierLength = 63;

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}

// [a-z_][a-z0-9_]*, checked by hand: it runs on every statement, where std::regex showed up in
// the profile.
bool is_identifier(const std::string& name) {
  if (name.empty() || name.size() > kMaxIdentifierLength || !is_identifier_start(name[0])) {
    return false;
  }
  for (char c : name) {
    if (!is_identifier_start(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Names are checked to be [a-z_][a-z0-9_]* first; the quotes only let words like "order" be
// column names.
std::string quoted(const std::string& name) {
  return '"' + name + '"';
}

void check_column(const std::string& table, const std::string& column) {
  if (column == kTenantColumn) {
    throw sdk::StoreError("column tenant_id in " + table +
                          " is set by the store from the tenant it is bound to; leave it out");
  }
  if (!is_identifier(column)) {
    throw sdk::StoreError("column name '" + column + "' in " + table +
                          " is not allowed; use lower-case letters, digits and '_' (at most 63)");
  }
}

void check_object(const std::string& table, const sdk::Json& json, const char* what) {
  if (!json.is_object()) {
    throw sdk::StoreError(std::string(what) + " for " + table + " must be a JSON object, not " +
                          json.type_name());
  }
}

}  // namespace

std::string BoundValues::add(const sdk::Json& value, const std::string& column) {
  Value& bound = values_.emplace_back();
  bound.name = "v" + std::to_string(values_.size() - 1);
  switch (value.type()) {
    case sdk::Json::value_t::null:
      bound.indicator = soci::i_null;
      break;
    case sdk::Json::value_t::string:
      bound.text = value.get<std::string>();
      break;
    case sdk::Json::value_t::boolean:
      bound.kind = Kind::Integer;
      bound.integer = value.get<bool>() ? 1 : 0;
      break;
    case sdk::Json::value_t::number_integer:
      bound.kind = Kind::Integer;
      bound.integer = value.get<long long>();
      break;
    case sdk::Json::value_t::number_unsigned:
      if (value.get<unsigned long long>() >
          static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
        throw sdk::StoreError("value of column '" + column +
                              "' does not fit a signed 64-bit integer");
      }
      bound.kind = Kind::Integer;
      bound.integer = value.get<long long>();
      break;
    case sdk::Json::value_t::number_float:
      bound.kind = Kind::Real;
      bound.real = value.get<double>();
      break;
    case sdk::Json::value_t::object:
    case sdk::Json::value_t::array:
      bound.text = value.dump();
      break;
    default:
      throw sdk::StoreError("value of column '" + column + "' is " + value.type_name() +
                            "; store a string, number, boolean, null, object or array");
  }
  return ":" + bound.name;
}

std::string BoundValues::add_tenant(const std::string& tenant_id) {
  Value& bound = values_.emplace_back();
  bound.name = "tenant";
  bound.text = tenant_id;
  return ":tenant";
}

void BoundValues::add_text(std::string text) {
  values_.emplace_back().text = std::move(text);
}

void BoundValues::add_integer(long long integer) {
  Value& bound = values_.emplace_back();
  bound.kind = Kind::Integer;
  bound.integer = integer;
}

void BoundValues::add_null() {
  values_.emplace_back().indicator = soci::i_null;
}

void BoundValues::bind_to(soci::statement& statement) {
  for (Value& value : values_) {
    // An unnamed value binds to the next placeholder in the SQL, whatever its name.
    switch (value.kind) {
      case Kind::Text:
        if (value.name.empty()) {
          statement.exchange(soci::use(value.text, value.indicator));
        } else {
          statement.exchange(soci::use(value.text, value.indicator, value.name));
        }
        break;
      case Kind::Integer:
        if (value.name.empty()) {
          statement.exchange(soci::use(value.integer, value.indicator));
        } else {
          statement.exchange(soci::use(value.integer, value.indicator, value.name));
        }
        break;
      case Kind::Real:
        statement.exchange(soci::use(value.real, value.indicator, value.name));
        break;
    }
  }
}

std::string BoundValues::kinds() const {
  std::string kinds;
  kinds.reserve(values_.size());
  for (const Value& value : values_) {
    if (value.indicator == soci::i_null) {
      kinds += 'n';
    } else {
      kinds += value.kind == Kind::Text ? 't' : value.kind == Kind::Integer ? 'i' : 'r';
    }
  }
  return kinds;
}

std::string BoundValues::fingerprint() const {
  std::string text;
  for (const Value& value : values_) {
    if (value.indicator == soci::i_null) {
      text += "n;";
    } else if (value.kind == Kind::Text) {
      // Length first, so no text can pass for the end of one value and the start of the next.
      text += 't' + std::to_string(value.text.size()) + ':' + value.text + ';';
    } else if (value.kind == Kind::Integer) {
      text += 'i' + std::to_string(value.integer) + ';';
    } else {
      char digits[32];
      // Shortest text that reads back as the same double: different doubles, different text.
      auto end = std::to_chars(digits, digits + sizeof digits, value.real).ptr;
      text += 'r' + std::string(digits, end) + ';';
    }
  }
  return text;
}

void BoundValues::assign_from(const BoundValues& other) {
  for (std::size_t i = 0; i < values_.size(); ++i) {
    values_[i].text = other.values_[i].text;
    values_[i].integer = other.values_[i].integer;
    values_[i].real = other.values_[i].real;
    values_[i].indicator = other.values_[i].indicator;
  }
}

TenantSql::TenantSql(std::string tenant_id, std::string table_prefix)
    : tenant_id_(std::move(tenant_id)), table_prefix_(std::move(table_prefix)) {
  if (tenant_id_.empty()) throw sdk::StoreError("a tenant store needs a tenant id");
  if (table_prefix_.empty() || !is_identifier(table_prefix_)) {
    throw sdk::StoreError("table prefix '" + table_prefix_ +
                          "' is not allowed; use lower-case letters, digits and '_', as in "
                          "'interest_'");
  }
}

void TenantSql::check_table(const std::string& table) const {
  if (table.rfind(table_prefix_, 0) != 0 || table.size() == table_prefix_.size() ||
      !is_identifier(table)) {
    throw sdk::StoreError("table '" + table + "' is not allowed; this store reaches only tables " +
                          "named " + table_prefix_ +
                          "<name> in lower-case letters, digits and '_'");
  }
}

std::string TenantSql::where_clause(const std::string& table, const sdk::Json& where,
                                    BoundValues& values) const {
  check_object(table, where, "the where clause");
  std::string sql = " WHERE " + quoted(kTenantColumn) + " = " + values.add_tenant(tenant_id_);
  for (const auto& [column, value] : where.items()) {
    check_column(table, column);
    sql += " AND " + quoted(column);
    sql += value.is_null() ? " IS NULL" : " = " + values.add(value, column);
  }
  return sql;
}

TenantStatement TenantSql::insert(const std::string& table, const sdk::Json& row) const {
  check_table(table);
  check_object(table, row, "a row");
  TenantStatement statement;
  std::string columns = quoted(kTenantColumn);
  std::string placeholders = statement.values.add_tenant(tenant_id_);
  for (const auto& [column, value] : row.items()) {
    check_column(table, column);
    columns += ", " + quoted(column);
    placeholders += ", " + statement.values.add(value, column);
  }
  statement.sql =
      "INSERT INTO " + quoted(table) + " (" + columns + ") VALUES (" + placeholders + ")";
  return statement;
}

TenantStatement TenantSql::select(const sdk::Query& query) const {
  check_table(query.table);
  TenantStatement statement;
  statement.sql = "SELECT * FROM " + quoted(query.table) +
                  where_clause(query.table, query.where, statement.values);
  if (!query.order_by.empty()) {
    check_column(query.table, query.order_by);
    statement.sql += " ORDER BY " + quoted(query.order_by) + (query.descending ? " DESC" : " ASC");
  }
  if (query.limit < 0) {
    throw sdk::StoreError("query on " + query.table + " has limit " + std::to_string(query.limit) +
                          "; use 0 for no limit or a positive count");
  }
  if (query.limit > 0) statement.sql += " LIMIT " + std::to_string(query.limit);
  return statement;
}

TenantStatement TenantSql::count(const std::string& table, const sdk::Json& where) const {
  check_table(table);
  TenantStatement statement;
  statement.sql =
      "SELECT COUNT(*) FROM " + quoted(table) + where_clause(table, where, statement.values);
  return statement;
}

TenantStatement TenantSql::update(const std::string& table, const sdk::Json& where,
                                  const sdk::Json& values) const {
  check_table(table);
  check_object(table, values, "the new values");
  if (values.empty()) throw sdk::StoreError("update of " + table + " names no column to set");
  TenantStatement statement;
  std::string assignments;
  for (const auto& [column, value] : values.items()) {
    check_column(table, column);
    if (!assignments.empty()) assignments += ", ";
    assignments += quoted(column) + " = " + statement.values.add(value, column);
  }
  statement.sql = "UPDATE " + quoted(table) + " SET " + assignments +
                  where_clause(table, where, statement.values);
  return statement;
}

TenantStatement TenantSql::remove(const std::string& table, const sdk::Json& where) const {
  check_table(table);
  TenantStatement statement;
  statement.sql = "DELETE FROM " + quoted(table) + where_clause(table, where, statement.values);
  return statement;
}

}  // namespace tribe::kernel::store
