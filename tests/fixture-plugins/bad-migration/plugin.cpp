// Loads fine, but its migration creates a table whose primary key does not lead with tenant_id.
#include "tribe/sdk/sdk.hpp"

namespace {

class BadMigrationPlugin final : public tribe::sdk::Plugin {
 public:
  void register_with(tribe::sdk::Registry& registry) override {
    registry.add_community_type({"badmigration", "A community type for tests"});
    tribe::sdk::register_bundled_files(registry);
    registry.add_route({tribe::sdk::Method::Get, "/api/bad", [](const auto&, auto&) {
                          return tribe::sdk::Response::json({{"served", true}});
                        }});
  }
};

}  // namespace

TRIBE_PLUGIN(BadMigrationPlugin, "fixture_bad_migration", "1.0.0", "badmigration",
             "A plugin whose migration the store refuses")
