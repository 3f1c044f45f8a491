#include "kernel/instance/instance.hpp"

#include <algorithm>
#include <iostream>

#include "kernel/http/error_response.hpp"
#include "kernel/instance/request_context.hpp"
#include "kernel/money/ledger.hpp"
#include "kernel/tenancy/tenant_records.hpp"

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

Instance::Instance(InstanceOptions options)
    : options_(std::move(options)), log_(options_.log ? *options_.log : std::cerr) {}

Instance::~Instance() = default;

void Instance::warn(const std::string& message) {
  warnings_.push_back(message);
  KernelLogger(log_, "kernel").warn(message);
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
  }
  return inputs;
}

void Instance::load_sites() {
  config::SiteLoader loader(schema_inputs());
  site_configs_ = loader.load_directory(options_.sites_dir, diagnostics_);
  for (const auto& site : site_configs_) directory_.add(site);
}

std::vector<const PluginRuntime*> Instance::plugins_for(const config::SiteConfig& site) const {
  std::vector<const PluginRuntime*> enabled;
  for (const auto& [name, runtime] : plugins_) {
    const auto& types = runtime->plugin->contributions().community_types;
    bool provides_type = std::any_of(types.begin(), types.end(),
                                     [&](const auto& type) { return type.name == site.type; });
    if (provides_type || site.sections.contains(name)) enabled.push_back(runtime.get());
  }
  return enabled;
}

int Instance::migrate_storage() {
  database_ = store::Database::open(options_.database_url);
  int applied = database_->migrate("kernel.tenancy", tenancy::tenancy_migrations());
  applied += money::Ledger(*database_).migrate();
  // A plugin whose migration fails is switched off, not the instance: its sites answer 404
  // while every other plugin serves.
  for (auto it = plugins_.begin(); it != plugins_.end();) {
    const auto& [name, runtime] = *it;
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
  return applied;
}

void Instance::start_sites() {
  for (const auto& config : site_configs_) {
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
      RequestContext context(site, *plugin, *database_, renderer_, log_, "", "");
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
  return call_plugin(*site->second, *match->target, request);
}

sdk::Response Instance::call_plugin(SiteRuntime& site, const MountedRoute& mounted,
                                    sdk::Request& request) {
  RequestContext context(site, *mounted.plugin, *database_, renderer_, log_, request.base,
                         request.request_id);
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
