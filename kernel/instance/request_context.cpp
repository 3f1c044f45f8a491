#include "kernel/instance/request_context.hpp"

#include <stdexcept>

namespace tribe::kernel::instance {

RequestContext::RequestContext(const SiteRuntime& site, const PluginRuntime& plugin,
                               store::Database& database, const ui::PageRenderer& renderer,
                               const sdk::Clock& clock, std::ostream& log, std::string base,
                               const std::string& request_id, const Visitor* visitor,
                               const money::EntitlementBook* entitlements)
    : site_(site),
      plugin_(plugin),
      database_(database),
      renderer_(renderer),
      clock_(clock),
      base_(std::move(base)),
      log_stream_(log),
      request_id_(request_id),
      visitor_(visitor),
      entitlements_(entitlements) {}

bool RequestContext::entitled(std::string_view key) const {
  const sdk::Member* who = member();
  return who && entitlements_ &&
         entitlements_->allows(site_.config.id, who->id, std::string(key), clock_.now());
}

const sdk::Member* RequestContext::member() const {
  return visitor_ && visitor_->member ? &*visitor_->member : nullptr;
}

sdk::Logger& RequestContext::log() {
  if (!logger_) {
    logger_.emplace(log_stream_, "plugin=" + plugin_.name() + " site=" + site_.config.id +
                                     (request_id_.empty() ? "" : " request_id=" + request_id_));
  }
  return *logger_;
}

const sdk::SiteView& RequestContext::site() const {
  return *site_.views.at(plugin_.name());
}

sdk::TenantStore& RequestContext::store() {
  if (!store_) store_ = database_.tenant_store(site_.config.id, plugin_.table_prefix);
  return *store_;
}

std::string RequestContext::text(std::string_view key) const {
  return plugin_.messages.text(site_.config.locale, key);
}

std::string RequestContext::render_page(std::string_view name, const sdk::Json& data) {
  const auto& templates = plugin_.plugin->contributions().templates;
  auto found = templates.find(std::string(name));
  if (found == templates.end()) {
    throw std::runtime_error("plugin '" + plugin_.name() + "' has no template '" +
                             std::string(name) + "'");
  }
  ui::PageFrame frame = site_.frame(base_, plugin_.messages);
  if (visitor_) {
    frame.csrf_token = visitor_->csrf_token;
    if (const auto& member = visitor_->member) {
      frame.member = sdk::Json{{"display_name", member->display_name}, {"admin", member->admin}};
    }
  }
  return renderer_.render_page(plugin_.name() + "/" + found->first, found->second, data, frame);
}

}  // namespace tribe::kernel::instance
