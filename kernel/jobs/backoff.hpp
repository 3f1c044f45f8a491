#pragma once
#include <chrono>

namespace tribe::kernel::jobs {

// How long to wait after the `failures`-th failure in a row: `first`, then doubling, never more
// than `most`. Shared by the scheduler's retries and the outbox's redeliveries.
std::chrono::seconds backoff_delay(int failures, std::chrono::seconds first,
                                   std::chrono::seconds most);

}  // namespace tribe::kernel::jobs
