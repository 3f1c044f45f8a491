#pragma once
#include <yaml-cpp/yaml.h>

#include <string>

#include "kernel/config/diagnostic.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/schema.hpp"

namespace tribe::kernel::config {

// Checks `node` against `schema` and appends every problem (unknown key with a did-you-mean,
// wrong type with the expected type, missing required key, value not allowed). Returns the value
// converted to JSON with the schema's types; parts with problems are left out.
sdk::Json validate(const YAML::Node& node, const sdk::Schema& schema, const std::string& file,
                   const std::string& path, Diagnostics& out);

}  // namespace tribe::kernel::config
