#pragma once
#include <span>

#include "tribe/sdk/bundle.hpp"

namespace tribe::kernel::ui {

// kernel/ui/templates and kernel/ui/messages, embedded at build time.
std::span<const sdk::BundledFile> builtin_files();

}  // namespace tribe::kernel::ui
