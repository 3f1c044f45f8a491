#pragma once
#include <string>

namespace tribe::kernel::store {

// Call inside a catch block: rethrows the exception in flight as sdk::StoreError naming `table`.
// A unique violation (SQLite result code 19 on a UNIQUE/PRIMARY KEY, PostgreSQL SQLSTATE 23505)
// becomes "duplicate row in <table>: ...". A StoreError passes through unchanged.
[[noreturn]] void rethrow_as_store_error(const std::string& table);

// Call inside a catch block: whether the exception in flight is a duplicate key (SQLite result code
// 19 on a UNIQUE/PRIMARY KEY, PostgreSQL SQLSTATE 23505).
bool is_unique_violation();

}  // namespace tribe::kernel::store
