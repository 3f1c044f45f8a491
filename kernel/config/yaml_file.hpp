#pragma once
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "kernel/config/diagnostic.hpp"

namespace tribe::kernel::config {

// Hard caps: yaml-cpp recurses per nesting level, so depth is checked before a tree is built.
// Aliases share nodes in the tree but are expanded by every walk over it, so the node count
// is taken with them expanded ("billion laughs").
struct YamlLimits {
  std::size_t max_bytes = 1024 * 1024;
  int max_depth = 64;
  std::size_t max_nodes = 1000 * 1000;
};

// Parses one YAML document. On any problem (unreadable file, syntax error, duplicate key, too big,
// too deep) appends every diagnostic it can find and returns nullopt.
std::optional<YAML::Node> load_yaml_file(const std::filesystem::path& file, Diagnostics& out,
                                         const YamlLimits& limits = {});
// The same for text in memory; `file` is the name used in diagnostics.
std::optional<YAML::Node> load_yaml_text(const std::string& text, const std::string& file,
                                         Diagnostics& out, const YamlLimits& limits = {});

}  // namespace tribe::kernel::config
