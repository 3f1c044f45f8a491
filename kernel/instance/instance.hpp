#pragma once
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernel/config/site_config.hpp"
#include "kernel/http/route_table.hpp"
#include "kernel/http/server.hpp"
#include "kernel/plugins/plugin_host.hpp"
#include "kernel/store/database.hpp"
#include "kernel/tenancy/site_directory.hpp"
#include "kernel/ui/message_catalogue.hpp"
#include "kernel/ui/page_renderer.hpp"

namespace tribe::kernel::instance {

struct InstanceOptions {
  std::filesystem::path sites_dir = "sites";
  std::vector<std::filesystem::path> plugin_dirs;
  std::string database_url;
  std::ostream* log = nullptr;  // kernel and plugin log lines; nullptr: stderr
};

// A plugin as the instance runs it: the loaded library, its catalogue (falling back to the
// kernel's) and the table prefix its storage handle is bound to.
struct PluginRuntime {
  std::shared_ptr<const plugins::LoadedPlugin> plugin;
  ui::MessageCatalogue messages;
  std::string table_prefix;
  const std::string& name() const { return plugin->info().name; }
};

// One route of one plugin, mounted on a site.
struct MountedRoute {
  const PluginRuntime* plugin;
  const sdk::Route* route;
};

class SiteViewImpl;

// A site ready to serve: its configuration, the plugins enabled on it, and its routes.
struct SiteRuntime {
  config::SiteConfig config;
  std::vector<const PluginRuntime*> plugins;
  std::map<std::string, std::unique_ptr<SiteViewImpl>> views;  // plugin name -> its view
  http::RouteTable<MountedRoute> routes;
  ui::PageFrame frame(const std::string& base, const ui::MessageCatalogue& messages) const;
};

class Instance : public http::Application {
 public:
  explicit Instance(InstanceOptions options);
  ~Instance() override;

  // Step 1: plugins from every plugin dir. Refusals are kept, never thrown.
  void load_plugins();
  // Step 2: every site file, validated against the kernel's and the loaded plugins' schemas.
  // Sites with problems are left out; their diagnostics are kept.
  void load_sites();
  // Step 3: open the database, apply kernel and plugin migrations, record the tenants.
  // Returns how many migrations it applied. Throws sdk::StoreError when the database cannot be
  // used or a migration fails.
  int migrate_storage();
  // Step 4: make each valid site ready to serve and run its plugins' site hooks (seeding).
  void start_sites();
  // Steps 3 and 4.
  void prepare_storage() {
    migrate_storage();
    start_sites();
  }
  // Step 5: mount every enabled plugin's routes on each site.
  void mount_routes();

  sdk::Response handle(sdk::Request& request, const std::string& host) override;

  const plugins::PluginHost& plugin_host() const { return plugin_host_; }
  const config::Diagnostics& diagnostics() const { return diagnostics_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::vector<config::SiteConfig>& site_configs() const { return site_configs_; }
  // The site schema inputs the loaded plugins give (for `tribe validate`).
  config::SiteSchemaInputs schema_inputs() const;
  store::Database* database() { return database_.get(); }

 private:
  std::vector<const PluginRuntime*> plugins_for(const config::SiteConfig& site) const;
  void run_site_hooks(SiteRuntime& site);
  sdk::Response call_plugin(SiteRuntime& site, const MountedRoute& mounted, sdk::Request& request);
  sdk::Response site_error(const SiteRuntime& site, const sdk::Request& request, int status,
                           const std::string& message);
  void warn(const std::string& message);

  InstanceOptions options_;
  std::ostream& log_;
  plugins::PluginHost plugin_host_;
  std::map<std::string, std::unique_ptr<PluginRuntime>> plugins_;
  std::vector<config::SiteConfig> site_configs_;
  config::Diagnostics diagnostics_;
  std::vector<std::string> warnings_;
  std::unique_ptr<store::Database> database_;
  tenancy::SiteDirectory directory_;
  std::map<std::string, std::unique_ptr<SiteRuntime>, std::less<>> sites_;
  ui::PageRenderer renderer_;
};

}  // namespace tribe::kernel::instance
