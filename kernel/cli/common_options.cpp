#include "kernel/cli/common_options.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

namespace tribe::kernel::cli {

std::filesystem::path default_plugin_dir() {
  return boost::dll::program_location().parent_path().parent_path() / TRIBE_PLUGIN_SUBDIR;
}

void CommonOptions::add_sites(po::options_description& description) {
  description.add_options()("sites", po::value(&sites_dir)->default_value(sites_dir),
                            "directory of site YAML files, one site (tenant) each");
}

void CommonOptions::add_database(po::options_description& description) {
  description.add_options()("db", po::value(&database_url)->default_value(database_url),
                            "database URL: sqlite:PATH or postgresql://user@host:port/dbname");
}

void CommonOptions::add_plugins(po::options_description& description) {
  description.add_options()(
      "plugin-dir", po::value(&plugin_dirs)->composing(),
      ("directory of plugin .so files; repeatable (default: " + default_plugin_dir().string() + ")")
          .c_str());
}

instance::InstanceOptions CommonOptions::instance_options() const {
  instance::InstanceOptions options;
  options.sites_dir = sites_dir;
  options.database_url = database_url;
  if (plugin_dirs.empty()) {
    options.plugin_dirs.push_back(default_plugin_dir());
  } else {
    options.plugin_dirs.assign(plugin_dirs.begin(), plugin_dirs.end());
  }
  return options;
}

}  // namespace tribe::kernel::cli
