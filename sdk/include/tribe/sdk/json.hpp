#pragma once
// The one structured value type that crosses the plugin boundary: configuration sections, store
// rows, template data and JSON responses.
#include <nlohmann/json.hpp>

namespace tribe::sdk {

using Json = nlohmann::ordered_json;

}  // namespace tribe::sdk
