#pragma once
#include <kainjow/mustache.hpp>

#include "tribe/sdk/json.hpp"

namespace tribe::kernel::ui {

// JSON is what plugins hand over; kainjow renders its own data type.
kainjow::mustache::data to_mustache(const sdk::Json& value);

}  // namespace tribe::kernel::ui
