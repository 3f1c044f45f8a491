#include "kernel/jobs/backoff.hpp"

#include <algorithm>

namespace tribe::kernel::jobs {

std::chrono::seconds backoff_delay(int failures, std::chrono::seconds first,
                                   std::chrono::seconds most) {
  std::chrono::seconds delay = first;
  // Doubling stops at `most`, so a long streak of failures cannot overflow.
  for (int failure = 1; failure < failures && delay < most; ++failure) delay *= 2;
  return std::min(delay, most);
}

}  // namespace tribe::kernel::jobs
