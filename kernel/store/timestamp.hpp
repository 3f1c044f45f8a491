#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace tribe::kernel::store {

// Now, as Tribe's tables store times: UTC, ISO 8601 to the second ("2026-11-23T10:43:45Z"), so
// text order is time order on SQLite and PostgreSQL alike.
std::string utc_timestamp();

// Times that SQL compares (expiries, schedules) are stored as BIGINT Unix seconds instead: integer
// order is time order on both backends, and cheap to index.
inline std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
}
inline std::chrono::system_clock::time_point from_unix_seconds(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace tribe::kernel::store
