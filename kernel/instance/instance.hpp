#pragma once
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernel/config/site_config.hpp"
#include "kernel/events/outbox.hpp"
#include "kernel/http/route_table.hpp"
#include "kernel/http/server.hpp"
#include "kernel/identity/accounts.hpp"
#include "kernel/identity/ladder.hpp"
#include "kernel/identity/member_tags.hpp"
#include "kernel/identity/sessions.hpp"
#include "kernel/instance/kernel_logger.hpp"
#include "kernel/jobs/scheduler.hpp"
#include "kernel/money/cashier.hpp"
#include "kernel/money/commissions.hpp"
#include "kernel/money/entitlements.hpp"
#include "kernel/money/funnel.hpp"
#include "kernel/money/holdings.hpp"
#include "kernel/money/joint_pages.hpp"
#include "kernel/money/ledger.hpp"
#include "kernel/money/orders.hpp"
#include "kernel/money/pages.hpp"
#include "kernel/money/payments.hpp"
#include "kernel/money/points.hpp"
#include "kernel/money/referrals.hpp"
#include "kernel/money/sandbox_gateway.hpp"
#include "kernel/plugins/plugin_host.hpp"
#include "kernel/store/database.hpp"
#include "kernel/tenancy/site_directory.hpp"
#include "kernel/ui/message_catalogue.hpp"
#include "kernel/ui/page_renderer.hpp"
#include "tribe/sdk/member.hpp"

namespace tribe::kernel::instance {

struct InstanceOptions {
  std::filesystem::path sites_dir = "sites";
  std::vector<std::filesystem::path> plugin_dirs;
  std::string database_url;
  std::ostream* log = nullptr;  // kernel and plugin log lines; nullptr: stderr
  const sdk::Clock* clock =
      nullptr;  // what "now" is for sessions, orders and sweeps; nullptr: the system's
};

// A plugin as the instance runs it: the loaded library, its catalogue (falling back to the
// kernel's) and the table prefix its storage handle is bound to.
struct PluginRuntime {
  std::shared_ptr<const plugins::LoadedPlugin> plugin;
  ui::MessageCatalogue messages;
  std::string table_prefix;
  bool builtin = false;  // a kernel component: enabled on every site
  const std::string& name() const { return plugin->info().name; }
};

// Who is asking: the member behind the session cookie (if any) and the browser's CSRF token.
struct Visitor {
  std::optional<sdk::Member> member;
  std::string stage = "visitor";  // on the site's customer ladder
  std::string csrf_token;
  bool new_csrf_cookie = false;  // the token was made for this response: send the cookie
  std::string visitor_id;        // set once the visitor came by a partner link
  bool new_visitor_cookie = false;
};

// One route of one plugin, mounted on a site.
struct MountedRoute {
  const PluginRuntime* plugin;
  const sdk::Route* route;
};

class SiteViewImpl;
struct KernelServices;

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

  // Step 6, once the HTTP server listens: the sandbox gateway delivers its webhooks there.
  void listening_on(std::uint16_t port) { gateway_.listen_at(port); }
  // Runs the scheduler's due jobs (sweeps) in the background until stop_jobs() or destruction.
  void start_jobs();
  void stop_jobs();
  // Runs the jobs due at `now` once, and delivers the pending events, in this thread (tests,
  // `tribe` commands). Returns how many jobs and deliveries ran.
  std::size_t run_due_jobs(std::chrono::system_clock::time_point now);
  const sdk::Clock& clock() const { return *clock_; }

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
  void add_builtin(std::shared_ptr<const plugins::LoadedPlugin> component);
  money::PaymentSettings payment_settings(const std::string& site_id) const;
  // The site's SaleRules: why the account may not order the offer at this till (a plugin-only
  // offer on the offer pages, a tag its `requires_tags` names missing), and which offers the
  // offer pages list.
  std::optional<std::string> refusal(const std::string& site_id, const std::string& account_id,
                                     const std::string& offer_id, money::Till till) const;
  bool listed(const std::string& site_id, const std::string& offer_id) const;
  std::int64_t referral_coupon(const std::string& site_id, const std::string& offer_id) const;
  void check_joint_partners();
  sdk::Json plugin_funnel_steps(const std::string& site_id, const money::DayRange& range);
  // What the partner site of a joint offer grants, for the joint pages.
  std::optional<money::JointTerms> joint_terms(const std::string& site_id,
                                               const std::string& offer_id) const;
  KernelServices services() const;
  void define_sweeps();
  void schedule_plugin_hooks();
  void run_periodic(const PluginRuntime& plugin, const sdk::SiteHook& hook);
  const config::SiteConfig* site_config(const std::string& tenant) const;
  void note_partner_link(const SiteRuntime& site, const sdk::Request& request, Visitor& visitor);
  void bind_referrer(const sdk::Request& request, sdk::Context& context,
                     const identity::Account& account);
  void fulfil(soci::session& in_transaction, const std::string& tenant, const money::Order& order);
  void report(soci::session& in_transaction, const std::string& tenant, const std::string& topic,
              const money::Order& order);
  void subscribe_plugin_handlers();
  void deliver(const PluginRuntime& plugin, const sdk::EventHandler& handler,
               const events::Event& event);
  Visitor identify(const SiteRuntime& site, const sdk::Request& request);
  sdk::Response call_plugin(SiteRuntime& site, const MountedRoute& mounted, sdk::Request& request,
                            const Visitor& visitor);
  sdk::Response site_error(const SiteRuntime& site, const sdk::Request& request, int status,
                           const std::string& message);
  void warn(const std::string& message);

  InstanceOptions options_;
  std::ostream& log_;
  SystemClock system_clock_;
  const sdk::Clock* clock_;
  plugins::PluginHost plugin_host_;
  std::map<std::string, std::unique_ptr<PluginRuntime>> plugins_;
  std::vector<config::SiteConfig> site_configs_;
  config::Diagnostics diagnostics_;
  std::vector<std::string> warnings_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<identity::AccountBook> accounts_;
  std::unique_ptr<identity::SessionBook> sessions_;
  std::unique_ptr<identity::Ladder> ladder_;
  std::unique_ptr<identity::MemberTags> member_tags_;
  std::unique_ptr<jobs::Scheduler> scheduler_;
  std::unique_ptr<money::OrderBook> orders_;
  std::unique_ptr<money::PaymentBook> payments_;
  std::unique_ptr<money::EntitlementBook> entitlements_;
  std::unique_ptr<money::ReferralBook> referrals_;
  std::unique_ptr<money::CommissionBook> commissions_;
  std::unique_ptr<money::HoldingBook> holdings_;
  std::unique_ptr<money::PointsBook> points_;
  std::unique_ptr<money::JointBook> joints_;
  std::unique_ptr<money::Funnel> funnel_;
  money::VisitTally visits_;  // first visits, written by a sweep
  money::SandboxGateway gateway_;
  std::unique_ptr<money::Cashier> cashier_;
  std::unique_ptr<events::Outbox> outbox_;  // order events for the plugins
  tenancy::SiteDirectory directory_;
  std::map<std::string, std::unique_ptr<SiteRuntime>, std::less<>> sites_;
  ui::PageRenderer renderer_;
};

}  // namespace tribe::kernel::instance
