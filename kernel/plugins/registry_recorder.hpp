#pragma once
#include <stdexcept>
#include <string>

#include "kernel/plugins/plugin_host.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::plugins {

// A contribution the registry will not record (a second config schema, a route registered twice,
// ...). Thrown into the plugin's register_with(); the host turns it into a refusal.
class RegistryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The kernel's side of sdk::Registry: checks each contribution and records it into Contributions.
class RegistryRecorder final : public sdk::Registry {
 public:
  explicit RegistryRecorder(Contributions& into) : into_(into) {}

  void add_community_type(sdk::CommunityType type) override;
  void set_config_schema(sdk::Schema schema) override;
  void add_migration(sdk::Migration migration) override;
  void add_template(std::string name, std::string mustache) override;
  void add_messages(std::string locale, std::string yaml) override;
  void add_route(sdk::Route route) override;
  void on_site_start(sdk::SiteHook hook) override;
  void on_event(std::string topic, sdk::EventHandler handler) override;
  void every(std::chrono::seconds interval, sdk::SiteHook hook) override;
  void add_funnel_step(std::string name, sdk::FunnelStep count) override;
  void set_section_check(sdk::SectionCheck check) override;

 private:
  Contributions& into_;
};

}  // namespace tribe::kernel::plugins
