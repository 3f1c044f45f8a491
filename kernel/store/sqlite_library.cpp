#include "kernel/store/sqlite_library.hpp"

#include <sqlite3.h>

#include <mutex>

namespace tribe::kernel::store {

void configure_sqlite_library() {
  static std::once_flag once;
  // SQLite refuses sqlite3_config (SQLITE_MISUSE) once something in the process has initialised
  // it; the statistics then stay on, which costs speed, not correctness, so the result is ignored.
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace tribe::kernel::store
