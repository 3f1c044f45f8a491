#include "kernel/instance/instance.hpp"

#include <algorithm>
#include <iostream>

#include "kernel/http/cookie.hpp"
#include "kernel/http/error_response.hpp"
#include "kernel/identity/pages.hpp"
#include "kernel/identity/token.hpp"
#include "kernel/instance/request_context.hpp"
#include "kernel/money/ledger.hpp"
#include "kernel/money/pages.hpp"
#include "kernel/plugins/builtin_plugin.hpp"
#include "kernel/tenancy/tenant_records.hpp"
#include "tribe/sdk/did_you_mean.hpp"

namespace tribe::kernel::instance {
namespace {

// A plugin's tables are named after it: "interest" owns "interest_*".
std::string table_prefix_for(const std::string& plugin_name) {
  std::string prefix = plugin_name + "_";
  std::replace(prefix.begin(), prefix.end(), '-', '_');
  return prefix;
}

}  // namespace

ui::PageFrame SiteRuntime::frame(const std::string& base,
                                 const ui::MessageCatalogue& messages) const {
  ui::PageFrame frame;
  frame.site = {{"id", config.id},
                {"name", config.name},
                {"description", config.description},
                {"locale", config.locale}};
  frame.theme = config.theme;
  frame.base = base;
  frame.messages = &messages;
  return frame;
}

// The cookie holding the browser's CSRF token; a form POST must echo it (double submit).
constexpr const char* kCsrfCookie = "tribe_csrf";
// The cookie naming a browser that arrived by a partner link, so the sign-up can be credited.
constexpr const char* kVisitorCookie = "tribe_visitor";
constexpr std::chrono::hours kVisitorCookieLife{24 * 365};

bool is_state_changing(sdk::Method method) {
  return method != sdk::Method::Get;
}

// The token a form field or (for scripts) a header echoes back; compared in constant time.
bool csrf_token_matches(const sdk::Request& request, const Visitor& visitor) {
  if (visitor.new_csrf_cookie || visitor.csrf_token.empty()) return false;
  std::string sent = request.field("csrf_token");
  if (sent.empty()) sent = request.header("x-csrf-token").value_or("");
  return identity::same_token(sent, visitor.csrf_token);
}

Instance::Instance(InstanceOptions options)
    : options_(std::move(options)),
      log_(options_.log ? *options_.log : std::cerr),
      clock_(options_.clock ? options_.clock : &system_clock_) {}

Instance::~Instance() {
  stop_jobs();
}

void Instance::start_jobs() {
  if (outbox_) outbox_->start(std::chrono::milliseconds(200), &log_);
  if (scheduler_) {
    scheduler_->start(std::chrono::milliseconds(500), &log_, [this] { return clock_->now(); });
  }
}

void Instance::stop_jobs() {
  if (scheduler_) scheduler_->stop();
  if (outbox_) outbox_->stop();
  if (funnel_) visits_.flush(*funnel_);
}

std::size_t Instance::run_due_jobs(std::chrono::system_clock::time_point now) {
  return (scheduler_ ? scheduler_->run_due(now, 32, &log_) : 0) +
         (outbox_ ? outbox_->deliver_pending(now, 64, &log_) : 0);
}

// The sweeps every instance runs; each node may define them, the slots run once.
void Instance::define_sweeps() {
  scheduler_->define_recurring(
      "money.expire_reservations", std::chrono::seconds(60),
      [this](std::chrono::system_clock::time_point now) { orders_->expire_reservations(now); },
      clock_->now());
  scheduler_->define_recurring(
      "money.release_commissions", std::chrono::seconds(60),
      [this](std::chrono::system_clock::time_point now) { commissions_->release_due(now); },
      clock_->now());
  scheduler_->define_recurring(
      "money.flush_visits", std::chrono::seconds(60),
      [this](std::chrono::system_clock::time_point) { visits_.flush(*funnel_); }, clock_->now());
  scheduler_->define_recurring(
      "money.expire_entitlements", std::chrono::seconds(60),
      [this](std::chrono::system_clock::time_point now) {
        for (const auto& [tenant, entitlement] : entitlements_->expire_due(now)) {
          KernelLogger(log_, "kernel site=" + tenant)
              .info("entitlement '" + entitlement.key + "' of account " + entitlement.account_id +
                    " expired");
        }
      },
      clock_->now());
}

const config::SiteConfig* Instance::site_config(const std::string& tenant) const {
  auto site = std::find_if(site_configs_.begin(), site_configs_.end(),
                           [&](const config::SiteConfig& config) { return config.id == tenant; });
  return site == site_configs_.end() ? nullptr : &*site;
}

// `?ref=<partner>` on any page: the last partner link a browser followed is remembered (last
// touch wins) under a visitor cookie, for the sign-up to be credited to. Only a partner of this
// site can refer.
void Instance::note_partner_link(const SiteRuntime& site, const sdk::Request& request,
                                 Visitor& visitor) {
  if (auto cookie = request.cookies.find(kVisitorCookie); cookie != request.cookies.end()) {
    visitor.visitor_id = cookie->second;
  }
  auto ref = request.query.find("ref");
  if (request.method != sdk::Method::Get || ref == request.query.end() || ref->second.empty()) {
    return;
  }
  if (ladder_->stage_of(site.config.id, ref->second) != identity::Stage::Partner) return;
  if (visitor.visitor_id.empty()) {
    visitor.visitor_id = identity::random_token(16);
    visitor.new_visitor_cookie = true;
  }
  referrals_->touch(site.config.id, visitor.visitor_id, ref->second, clock_->now());
}

void Instance::bind_referrer(const sdk::Request& request, sdk::Context& context,
                             const identity::Account& account) {
  auto visitor = request.cookies.find(kVisitorCookie);
  const config::SiteConfig* site = site_config(context.site().id());
  if (visitor == request.cookies.end() || !site) return;
  if (auto partner =
          referrals_->bind(site->id, visitor->second, account.id,
                           std::chrono::days(site->referral.window_days), clock_->now())) {
    context.log().info("account " + account.id + " was referred by partner " + *partner);
  }
}

// In the payment's transaction: what the order's offer grants, then the order is fulfilled. An
// offer no longer in the site YAML grants nothing more; the order stays paid for an admin to see.
void Instance::fulfil(soci::session& in_transaction, const std::string& tenant,
                      const money::Order& order) {
  const config::SiteConfig* site = site_config(tenant);
  if (!site) return;
  const sdk::Offer* offer = site->offer(order.offer_id);
  if (!offer) return;
  const auto term = offer->term ? money::parse_term(*offer->term) : std::nullopt;
  for (const auto& key : offer->grants) {
    entitlements_->grant_in(in_transaction, tenant, order.account_id, key, order.id, term,
                            offer->trial_days, offer->grace_days, clock_->now());
  }
  if (const auto kind = money::holding_kind(offer->holds)) {
    holdings_->hold_in(in_transaction, tenant, order, *kind, clock_->now());
  }
  if (auto joint = site->joint_offers.find(offer->id); joint != site->joint_offers.end()) {
    joints_->open_in(in_transaction, tenant, order, joint->second, clock_->now());
  }
  if (!offer->commission_basis_points.empty()) {
    commissions_->hold_in(in_transaction, tenant, order, offer->commission_basis_points,
                          std::chrono::days(offer->refund_window_days), clock_->now());
  }
  payments_->mark_fulfilled(in_transaction, tenant, order.id);
  const auto& ladder = site->ladder;
  const std::string reason = "order " + order.id + " (" + order.offer_id + ")";
  auto names = [&](const std::vector<std::string>& offers) {
    return std::find(offers.begin(), offers.end(), order.offer_id) != offers.end();
  };
  if (names(ladder.partner_offers)) {
    ladder_->climb_in(in_transaction, tenant, order.account_id, identity::Stage::Partner, reason,
                      clock_->now());
  } else if (names(ladder.member_offers)) {
    ladder_->climb_in(in_transaction, tenant, order.account_id, identity::Stage::Member, reason,
                      clock_->now());
  }
}

void Instance::warn(const std::string& message) {
  warnings_.push_back(message);
  KernelLogger(log_, "kernel").warn(message);
}

void Instance::add_builtin(std::shared_ptr<const plugins::LoadedPlugin> component) {
  auto runtime = std::make_unique<PluginRuntime>();
  runtime->plugin = std::move(component);
  runtime->builtin = true;
  for (const auto& [locale, yaml] : runtime->plugin->contributions().messages) {
    runtime->messages.add(locale, yaml, "kernel component " + runtime->name());
  }
  runtime->messages.merge_missing(renderer_.kernel_messages());
  plugins_.emplace(runtime->name(), std::move(runtime));
}

void Instance::load_plugins() {
  for (const auto& dir : options_.plugin_dirs) {
    if (!plugin_host_.load_directory(dir))
      warn("plugin directory " + dir.string() + " does not exist");
  }
  for (const auto& plugin : plugin_host_.loaded()) {
    auto runtime = std::make_unique<PluginRuntime>();
    runtime->plugin = plugin;
    runtime->table_prefix = table_prefix_for(plugin->info().name);
    try {
      for (const auto& [locale, yaml] : plugin->contributions().messages) {
        runtime->messages.add(locale, yaml, "plugin " + plugin->info().name);
      }
    } catch (const std::exception& e) {
      warn(e.what());
    }
    runtime->messages.merge_missing(renderer_.kernel_messages());
    plugins_.emplace(plugin->info().name, std::move(runtime));
  }
}

config::SiteSchemaInputs Instance::schema_inputs() const {
  config::SiteSchemaInputs inputs;
  for (const auto& plugin : plugin_host_.loaded()) {
    for (const auto& type : plugin->contributions().community_types) {
      inputs.community_types.push_back(type.name);
    }
    if (plugin->contributions().config_schema) {
      inputs.plugin_sections.emplace(plugin->info().name, *plugin->contributions().config_schema);
    }
    if (plugin->contributions().section_check) {
      inputs.section_checks.emplace(plugin->info().name, plugin->contributions().section_check);
    }
  }
  return inputs;
}

void Instance::load_sites() {
  config::SiteLoader loader(schema_inputs());
  site_configs_ = loader.load_directory(options_.sites_dir, diagnostics_);
  for (const auto& site : site_configs_) directory_.add(site);
  check_joint_partners();
}

// A joint offer whose partner site is not served here cannot grant what it promises: it is left
// off the offer pages and refused (refusal()), and the rest of the site serves.
void Instance::check_joint_partners() {
  std::vector<std::string> served;
  for (const auto& site : site_configs_) served.push_back(site.id);
  for (const auto& site : site_configs_) {
    for (const auto& [offer_id, joint] : site.joint_offers) {
      if (site_config(joint.site)) continue;
      std::string message = site.file.string() + ": offer '" + offer_id + "' of site '" + site.id +
                            "' is a joint offer with site '" + joint.site +
                            "', which this instance does not serve; it is not sold";
      if (auto close = sdk::did_you_mean(joint.site, served)) {
        message += " (did you mean '" + *close + "'?)";
      }
      warn(message);
    }
  }
}

std::vector<const PluginRuntime*> Instance::plugins_for(const config::SiteConfig& site) const {
  std::vector<const PluginRuntime*> enabled;
  for (const auto& [name, runtime] : plugins_) {
    const auto& types = runtime->plugin->contributions().community_types;
    bool provides_type = std::any_of(types.begin(), types.end(),
                                     [&](const auto& type) { return type.name == site.type; });
    if (runtime->builtin || provides_type || site.sections.contains(name)) {
      enabled.push_back(runtime.get());
    }
  }
  return enabled;
}

int Instance::migrate_storage() {
  database_ = store::Database::open(options_.database_url);
  int applied = database_->migrate("kernel.tenancy", tenancy::tenancy_migrations());
  applied += money::Ledger(*database_).migrate();
  accounts_ = std::make_unique<identity::AccountBook>(*database_);
  applied += accounts_->migrate();
  sessions_ = std::make_unique<identity::SessionBook>(*database_);
  ladder_ = std::make_unique<identity::Ladder>(*database_);
  member_tags_ = std::make_unique<identity::MemberTags>(*database_);
  add_builtin(plugins::make_builtin_plugin(
      "accounts", "sign-up, log-in, password and tag pages", [this](sdk::Registry& registry) {
        identity::register_pages(
            registry, {*accounts_, *sessions_, *ladder_, *member_tags_},
            [this](const sdk::Request& request, sdk::Context& context,
                   const identity::Account& account) { bind_referrer(request, context, account); },
            [this](const std::string& site_id) -> const config::TagVocabulary& {
              return site_config(site_id)->tags;
            });
      }));
  orders_ = std::make_unique<money::OrderBook>(*database_);
  applied += orders_->migrate();
  scheduler_ = std::make_unique<jobs::Scheduler>(*database_);
  applied += scheduler_->migrate();
  payments_ = std::make_unique<money::PaymentBook>(*database_, *orders_);
  entitlements_ = std::make_unique<money::EntitlementBook>(*database_);
  referrals_ = std::make_unique<money::ReferralBook>(*database_);
  commissions_ = std::make_unique<money::CommissionBook>(*database_, *referrals_);
  holdings_ = std::make_unique<money::HoldingBook>(*database_);
  points_ = std::make_unique<money::PointsBook>(*database_);
  joints_ = std::make_unique<money::JointBook>(*database_);
  funnel_ = std::make_unique<money::Funnel>(*database_);
  cashier_ = std::make_unique<money::Cashier>(
      *orders_, *payments_, *referrals_, gateway_,
      [this](const std::string& site_id) { return payment_settings(site_id); },
      money::SaleRules{[this](const std::string& site_id, const std::string& account_id,
                              const std::string& offer_id, money::Till till) {
                         return refusal(site_id, account_id, offer_id, till);
                       },
                       [this](const std::string& site_id, const std::string& offer_id) {
                         return listed(site_id, offer_id);
                       },
                       [this](const std::string& site_id, const std::string& offer_id) {
                         return referral_coupon(site_id, offer_id);
                       }});
  outbox_ = std::make_unique<events::Outbox>(*database_);
  applied += outbox_->migrate();
  payments_->on_paid(
      [this](soci::session& in_transaction, const std::string& tenant, const money::Order& order) {
        fulfil(in_transaction, tenant, order);
        report(in_transaction, tenant, "order.paid", order);
      });
  payments_->on_refunded(
      [this](soci::session& in_transaction, const std::string& tenant, const money::Order& order) {
        report(in_transaction, tenant, "order.refunded", order);
        entitlements_->revoke_order_in(in_transaction, tenant, order.id, clock_->now());
        holdings_->unhold_in(in_transaction, tenant, order.id, clock_->now());
        joints_->reverse_in(in_transaction, tenant, order.id, *entitlements_, clock_->now());
        const config::SiteConfig* site = site_config(tenant);
        commissions_->reverse_in(in_transaction, tenant, order.id,
                                 site ? site->referral.after_window : "keep", clock_->now());
      });
  add_builtin(plugins::make_builtin_plugin(
      "checkout", "offers, orders, payments and the member's account page",
      [this](sdk::Registry& registry) {
        money::register_pages(registry, *orders_, *payments_, *entitlements_, *referrals_,
                              *commissions_, gateway_, *cashier_);
        money::register_funnel_api(
            registry, *funnel_, visits_,
            [this](const std::string& site_id, const money::DayRange& range) {
              return plugin_funnel_steps(site_id, range);
            });
        money::register_joint_pages(
            registry, *joints_, *entitlements_,
            [this](const std::string& site_id, const std::string& offer_id) {
              return joint_terms(site_id, offer_id);
            });
      }));
  // A plugin whose migration fails is switched off, not the instance: its sites answer 404
  // while every other plugin serves.
  for (auto it = plugins_.begin(); it != plugins_.end();) {
    const auto& [name, runtime] = *it;
    if (runtime->builtin) {
      ++it;
      continue;
    }
    try {
      applied += database_->migrate("plugin." + name, runtime->plugin->contributions().migrations,
                                    runtime->table_prefix);
      ++it;
    } catch (const sdk::StoreError& e) {
      warn("plugin '" + name + "' switched off: " + e.what());
      it = plugins_.erase(it);
    }
  }
  tenancy::record_tenants(*database_, site_configs_);
  subscribe_plugin_handlers();
  return applied;
}

// An order event for the plugins, in the transaction of the change it reports (the outbox).
void Instance::report(soci::session& in_transaction, const std::string& tenant,
                      const std::string& topic, const money::Order& order) {
  outbox_->append_in(in_transaction, tenant, topic + ":" + order.id, topic,
                     {{"order", order.id},
                      {"offer", order.offer_id},
                      {"member", order.account_id},
                      {"amount", order.amount.minor_units()},
                      {"currency", order.amount.currency()}});
}

// Each plugin's event handlers, delivered by the outbox to the sites the plugin serves. The
// handler's name is stable across nodes and restarts (plugin and registration order), which is
// what the outbox records deliveries under.
void Instance::subscribe_plugin_handlers() {
  for (const auto& [name, runtime] : plugins_) {
    const auto& handlers = runtime->plugin->contributions().event_handlers;
    for (std::size_t i = 0; i < handlers.size(); ++i) {
      const PluginRuntime* plugin = runtime.get();
      outbox_->subscribe("plugin." + name + "." + std::to_string(i), handlers[i].first,
                         [this, plugin, i](const events::Event& event) {
                           deliver(*plugin,
                                   plugin->plugin->contributions().event_handlers[i].second, event);
                         });
    }
  }
}

// Each plugin's `every` hooks as recurring jobs, named after the plugin and the hook's place in
// its registration (stable across nodes and restarts), so each interval runs once.
void Instance::schedule_plugin_hooks() {
  for (const auto& [name, runtime] : plugins_) {
    const auto& hooks = runtime->plugin->contributions().periodic_hooks;
    for (std::size_t i = 0; i < hooks.size(); ++i) {
      const PluginRuntime* plugin = runtime.get();
      const sdk::SiteHook* hook = &hooks[i].second;
      scheduler_->define_recurring(
          "plugin." + name + ".every." + std::to_string(i), hooks[i].first,
          [this, plugin, hook](std::chrono::system_clock::time_point) {
            run_periodic(*plugin, *hook);
          },
          clock_->now());
    }
  }
}

// One site's failure is logged and leaves the other sites' runs alone.
void Instance::run_periodic(const PluginRuntime& plugin, const sdk::SiteHook& hook) {
  for (const auto& [id, site] : sites_) {
    const auto& enabled = site->plugins;
    if (std::find(enabled.begin(), enabled.end(), &plugin) == enabled.end()) continue;
    RequestContext context(*site, plugin, services(), "", "");
    try {
      hook(context);
    } catch (const std::exception& e) {
      warn("site '" + id + "': plugin '" + plugin.name() +
           "' failed in its scheduled work: " + e.what());
    } catch (...) {
      warn("site '" + id + "': plugin '" + plugin.name() +
           "' failed in its scheduled work with a non-standard exception");
    }
  }
}

sdk::Json Instance::plugin_funnel_steps(const std::string& site_id, const money::DayRange& range) {
  sdk::Json steps = sdk::Json::object();
  auto site = sites_.find(site_id);
  if (site == sites_.end()) return steps;
  for (const PluginRuntime* plugin : site->second->plugins) {
    for (const auto& [name, count] : plugin->plugin->contributions().funnel_steps) {
      const std::string key = plugin->name() + "." + name;
      RequestContext context(*site->second, *plugin, services(), "", "");
      try {
        steps[key] = count(context, range.from, range.to);
      } catch (const std::exception& e) {
        warn("site '" + site_id + "': plugin '" + plugin->name() +
             "' failed to count its funnel step '" + name + "': " + e.what());
        steps[key] = nullptr;
      }
    }
  }
  return steps;
}

void Instance::deliver(const PluginRuntime& plugin, const sdk::EventHandler& handler,
                       const events::Event& event) {
  auto site = sites_.find(event.tenant);
  if (site == sites_.end()) return;  // not served here (any more): nothing to tell
  const auto& enabled = site->second->plugins;
  if (std::find(enabled.begin(), enabled.end(), &plugin) == enabled.end()) return;
  RequestContext context(*site->second, plugin, services(), "", "");
  handler(sdk::Event{event.id, event.topic, event.payload}, context);
}

KernelServices Instance::services() const {
  return {*database_,
          renderer_,
          *clock_,
          log_,
          entitlements_.get(),
          ladder_.get(),
          member_tags_.get(),
          {cashier_.get(), orders_.get(), entitlements_.get(), holdings_.get(), points_.get(),
           accounts_.get()}};
}

std::optional<std::string> Instance::refusal(const std::string& site_id,
                                             const std::string& account_id,
                                             const std::string& offer_id, money::Till till) const {
  const config::SiteConfig* site = site_config(site_id);
  if (!site) return std::nullopt;
  // Shown to the buyer (the offer pages' 403), so in the site's language, naming the offer.
  const sdk::Offer* offer = site->offer(offer_id);
  auto refused = [&](std::string_view key, const std::string& what) {
    return (offer ? offer->title : offer_id) + ": " +
           renderer_.kernel_messages().text(site->locale, key) + what;
  };
  if (auto joint = site->joint_offers.find(offer_id);
      joint != site->joint_offers.end() && !site_config(joint->second.site)) {
    return refused("access.refused_partner_not_served", " " + joint->second.site);
  }
  auto sale = site->offer_sales.find(offer_id);
  if (sale == site->offer_sales.end()) return std::nullopt;
  if (sale->second.plugin_only && till == money::Till::OfferPages) {
    return refused("access.refused_plugin_only", "");
  }
  const auto& required = sale->second.requires_tags;
  if (member_tags_->holds_all(site_id, account_id, required)) return std::nullopt;
  std::string tags;
  for (const auto& tag : required) tags += (tags.empty() ? "" : ", ") + tag;
  return refused("access.refused_tags", " " + tags);
}

std::optional<money::JointTerms> Instance::joint_terms(const std::string& site_id,
                                                       const std::string& offer_id) const {
  const config::SiteConfig* site = site_config(site_id);
  if (!site) return std::nullopt;
  const sdk::Offer* offer = site->offer(offer_id);
  auto joint = site->joint_offers.find(offer_id);
  if (!offer || joint == site->joint_offers.end()) return std::nullopt;
  return money::JointTerms{joint->second,
                           offer->term ? money::parse_term(*offer->term) : std::nullopt,
                           offer->grace_days, offer->title, site->name};
}

bool Instance::listed(const std::string& site_id, const std::string& offer_id) const {
  const config::SiteConfig* site = site_config(site_id);
  if (!site) return true;
  if (auto joint = site->joint_offers.find(offer_id);
      joint != site->joint_offers.end() && !site_config(joint->second.site)) {
    return false;
  }
  auto sale = site->offer_sales.find(offer_id);
  return sale == site->offer_sales.end() || !sale->second.plugin_only;
}

std::int64_t Instance::referral_coupon(const std::string& site_id,
                                       const std::string& offer_id) const {
  const config::SiteConfig* site = site_config(site_id);
  if (!site) return 0;
  auto sale = site->offer_sales.find(offer_id);
  return sale == site->offer_sales.end() ? 0 : sale->second.referral_coupon;
}

money::PaymentSettings Instance::payment_settings(const std::string& site_id) const {
  auto site = sites_.find(site_id);
  if (site == sites_.end()) return {};
  const auto& payments = site->second->config.payments;
  return {payments.provider, payments.secret};
}

void Instance::start_sites() {
  define_sweeps();
  schedule_plugin_hooks();
  for (const auto& config : site_configs_) {
    for (const auto& offer : config.offers) {
      orders_->set_capacity(config.id, offer.id, offer.capacity);
    }
    auto site = std::make_unique<SiteRuntime>();
    site->config = config;
    site->plugins = plugins_for(config);
    for (const PluginRuntime* plugin : site->plugins) {
      auto section = config.sections.find(plugin->name());
      site->views.emplace(plugin->name(),
                          std::make_unique<SiteViewImpl>(
                              site->config, section == config.sections.end() ? sdk::Json::object()
                                                                             : section->second));
    }
    run_site_hooks(*site);
    sites_.emplace(config.id, std::move(site));
  }
}

void Instance::run_site_hooks(SiteRuntime& site) {
  for (const PluginRuntime* plugin : site.plugins) {
    for (const auto& hook : plugin->plugin->contributions().site_hooks) {
      RequestContext context(site, *plugin, services(), "", "");
      try {
        hook(context);
      } catch (const std::exception& e) {
        warn("site '" + site.config.id + "': plugin '" + plugin->name() +
             "' failed to start: " + e.what());
      } catch (...) {
        warn("site '" + site.config.id + "': plugin '" + plugin->name() +
             "' failed to start with a non-standard exception");
      }
    }
  }
}

void Instance::mount_routes() {
  for (auto& [id, site] : sites_) {
    for (const PluginRuntime* plugin : site->plugins) {
      for (const auto& route : plugin->plugin->contributions().routes) {
        if (!site->routes.add(route.method, route.pattern, MountedRoute{plugin, &route})) {
          warn("site '" + id + "': route " + sdk::method_name(route.method) + " " + route.pattern +
               " of plugin '" + plugin->name() + "' is already served by another plugin; ignored");
        }
      }
    }
  }
}

sdk::Response Instance::handle(sdk::Request& request, const std::string& host) {
  if (request.path == "/healthz") {
    return sdk::Response{200, "text/plain; charset=utf-8", "ok\n", {}};
  }
  auto address = directory_.resolve(host, request.path);
  auto site = address ? sites_.find(address->site_id) : sites_.end();
  // Unknown host or site: the same bare answer whatever exists, so it reveals no tenant.
  if (site == sites_.end()) return http::plain_error(404, "", request.request_id);

  request.path = address->path;
  request.base = address->base;
  auto match = site->second->routes.match(request.method, request.path);
  if (!match) {
    bool other_method = site->second->routes.has_path(request.path);
    return site_error(*site->second, request, other_method ? 405 : 404,
                      other_method ? "method not allowed" : "not found");
  }
  request.params = std::move(match->params);
  Visitor visitor = identify(*site->second, request);
  // A browser's first request carries none of Tribe's cookies: a visit for the funnel.
  if (request.method == sdk::Method::Get && visitor.new_csrf_cookie) {
    visits_.count(site->first, clock_->now());
  }
  note_partner_link(*site->second, request, visitor);
  sdk::Response response;
  if (is_state_changing(request.method) && match->target->route->csrf &&
      !csrf_token_matches(request, visitor)) {
    response = site_error(
        *site->second, request, 403,
        renderer_.kernel_messages().text(site->second->config.locale, "error.forbidden"));
  } else {
    response = call_plugin(*site->second, *match->target, request, visitor);
  }
  if (visitor.new_csrf_cookie) {
    response.headers.emplace_back(
        "Set-Cookie", http::set_cookie(request, kCsrfCookie, visitor.csrf_token, std::nullopt));
  }
  if (visitor.new_visitor_cookie) {
    response.headers.emplace_back(
        "Set-Cookie",
        http::set_cookie(request, kVisitorCookie, visitor.visitor_id, kVisitorCookieLife));
  }
  return response;
}

Visitor Instance::identify(const SiteRuntime& site, const sdk::Request& request) {
  Visitor visitor;
  if (auto csrf = request.cookies.find(kCsrfCookie); csrf != request.cookies.end()) {
    visitor.csrf_token = csrf->second;
  } else {
    visitor.csrf_token = identity::random_token(16);
    visitor.new_csrf_cookie = true;
  }
  auto token = request.cookies.find(identity::kSessionCookie);
  if (token == request.cookies.end()) return visitor;
  const auto session = sessions_->resolve(site.config.id, token->second, clock_->now());
  if (!session) return visitor;
  const auto account = accounts_->find(site.config.id, session->account_id);
  if (!account) return visitor;
  const auto& admins = site.config.admins;
  visitor.member =
      sdk::Member{account->id, account->email, account->display_name,
                  std::find(admins.begin(), admins.end(), account->email) != admins.end()};
  return visitor;
}

sdk::Response Instance::call_plugin(SiteRuntime& site, const MountedRoute& mounted,
                                    sdk::Request& request, const Visitor& visitor) {
  RequestContext context(site, *mounted.plugin, services(), request.base, request.request_id,
                         &visitor, request.header("host").value_or(""));
  try {
    return mounted.route->handler(request, context);
  } catch (const sdk::HttpError& e) {
    return site_error(site, request, e.status(), e.what());
  } catch (const std::exception& e) {
    context.log().error(std::string(sdk::method_name(request.method)) + " " + request.path +
                        " failed: " + e.what());
  } catch (...) {
    context.log().error(std::string(sdk::method_name(request.method)) + " " + request.path +
                        " failed with a non-standard exception");
  }
  return site_error(site, request, 500, "");
}

sdk::Response Instance::site_error(const SiteRuntime& site, const sdk::Request& request, int status,
                                   const std::string& message) {
  std::string text = message;
  if (text.empty() || status == 500) {
    text = renderer_.kernel_messages().text(site.config.locale,
                                            status == 500 ? "error.internal" : "error.not_found");
  }
  if (http::wants_json(request)) return http::json_error(status, text, request.request_id);
  try {
    return sdk::Response::html(
        renderer_.render_error_page(status, text, request.request_id,
                                    site.frame(request.base, renderer_.kernel_messages())),
        status);
  } catch (const std::exception&) {
    return http::plain_error(status, text, request.request_id);
  }
}

}  // namespace tribe::kernel::instance
