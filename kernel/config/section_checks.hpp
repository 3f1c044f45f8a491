#pragma once
// Plugins' section checks (sdk::Registry::set_section_check): what a plugin's Schema cannot
// express in its section of a site file, reported at file:line:col like the rest of the YAML.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "kernel/config/diagnostic.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/offer.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::config {

// Runs the check of each plugin whose section the site has and whose section had no problem
// among out[first_of_file..] (the schema's findings for this file), and appends what it finds.
// A check that throws becomes a problem of its section, naming the plugin.
void check_sections(const YAML::Node& root, const sdk::Json& site,
                    const std::vector<sdk::Offer>& offers,
                    const std::map<std::string, sdk::SectionCheck>& checks, const std::string& file,
                    std::size_t first_of_file, Diagnostics& out);

// The node `path` ("posts[2].kol") names under `section`, or the nearest enclosing one the file
// has (the section itself when nothing matches).
YAML::Node node_at(const YAML::Node& section, const std::string& path);

}  // namespace tribe::kernel::config
