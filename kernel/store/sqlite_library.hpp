#pragma once

namespace tribe::kernel::store {

// Process-wide SQLite settings, applied once before the first SQLite database is opened: memory
// statistics off, so sqlite3_malloc does not take SQLite's one global mutex on every call.
void configure_sqlite_library();

}  // namespace tribe::kernel::store
