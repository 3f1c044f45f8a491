#pragma once
#include <set>
#include <string>

#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::store {

// What tables exist and how they are keyed, read from sqlite_master / information_schema.
class SchemaCatalog {
 public:
  SchemaCatalog(soci::session& session, Backend backend) : session_(session), backend_(backend) {}

  // The base tables of the database (SQLite's own sqlite_* tables left out).
  std::set<std::string> tables();
  // The first column of the table's primary key, or "" when it has none.
  std::string first_primary_key_column(const std::string& table);

 private:
  soci::session& session_;
  Backend backend_;
};

}  // namespace tribe::kernel::store
