#pragma once

namespace tribe::kernel::identity {

// Initialises libsodium once per process (thread-safe); call before any other sodium function.
void require_sodium();

}  // namespace tribe::kernel::identity
