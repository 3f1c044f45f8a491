#pragma once
#include <span>

#include "tribe/sdk/bundle.hpp"

namespace tribe::kernel::identity {

// kernel/identity/templates and messages, embedded at build time.
std::span<const sdk::BundledFile> pages_files();

}  // namespace tribe::kernel::identity
