#pragma once
#include <string>

namespace tribe::kernel::store {

// Now, as Tribe's tables store times: UTC, ISO 8601 to the second ("2026-11-23T10:43:45Z"), so
// text order is time order on SQLite and PostgreSQL alike.
std::string utc_timestamp();

}  // namespace tribe::kernel::store
