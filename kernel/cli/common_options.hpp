#pragma once
#include <boost/program_options.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "kernel/instance/instance.hpp"

namespace tribe::kernel::cli {

namespace po = boost::program_options;

// Options several commands share, with defaults that make a fresh build in the checkout work.
struct CommonOptions {
  std::string sites_dir = "sites";
  std::string database_url = "sqlite:var/tribe.db";
  std::vector<std::string> plugin_dirs;

  void add_sites(po::options_description& description);
  void add_database(po::options_description& description);
  void add_plugins(po::options_description& description);
  instance::InstanceOptions instance_options() const;
};

// bin/tribe finds plugins in ../lib/tribe/plugins, in the build tree as after install.
std::filesystem::path default_plugin_dir();

}  // namespace tribe::kernel::cli
