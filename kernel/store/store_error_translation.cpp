#include "kernel/store/store_error_translation.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <exception>

#include "tribe/sdk/store.hpp"

namespace tribe::kernel::store {
namespace {

constexpr int kSqliteConstraint = 19;  // SQLITE_CONSTRAINT; SOCI reports no extended code

bool names_unique_key(const std::string& message) {
  return message.find("UNIQUE constraint failed") != std::string::npos;
}

[[noreturn]] void throw_constraint(const std::string& table, bool duplicate,
                                   const std::string& message) {
  if (duplicate) throw sdk::StoreError("duplicate row in " + table + ": " + message);
  throw sdk::StoreError("constraint violated in " + table + ": " + message);
}

}  // namespace

void rethrow_as_store_error(const std::string& table) {
  try {
    throw;
  } catch (const sdk::StoreError&) {
    throw;
  } catch (const soci::sqlite3_soci_error& e) {
    if (e.result() == kSqliteConstraint)
      throw_constraint(table, names_unique_key(e.what()), e.what());
    throw sdk::StoreError("storage error in " + table + ": " + e.what());
  } catch (const soci::postgresql_soci_error& e) {
    const std::string state = e.sqlstate();
    if (state.rfind("23", 0) == 0) throw_constraint(table, state == "23505", e.what());
    throw sdk::StoreError("storage error in " + table + " (SQLSTATE " + state + "): " + e.what());
  } catch (const std::exception& e) {
    throw sdk::StoreError("storage error in " + table + ": " + e.what());
  }
}

bool is_unique_violation() {
  try {
    throw;
  } catch (const soci::sqlite3_soci_error& e) {
    return e.result() == kSqliteConstraint && names_unique_key(e.what());
  } catch (const soci::postgresql_soci_error& e) {
    return e.sqlstate() == "23505";
  } catch (...) {
    return false;
  }
}

}  // namespace tribe::kernel::store
