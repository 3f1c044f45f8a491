#include "kernel/instance/request_context.hpp"

#include <stdexcept>

#include "kernel/identity/identity_error.hpp"
#include "tribe/sdk/http.hpp"

namespace tribe::kernel::instance {

RequestContext::RequestContext(const SiteRuntime& site, const PluginRuntime& plugin,
                               const KernelServices& services, std::string base,
                               const std::string& request_id, const Visitor* visitor,
                               std::string host)
    : site_(site),
      plugin_(plugin),
      services_(services),
      base_(std::move(base)),
      request_id_(request_id),
      host_(std::move(host)),
      visitor_(visitor) {}

sdk::Money& RequestContext::money() {
  if (!money_) {
    // The sandbox gateway reaches the site the way the request did; a site hook has no request,
    // so it goes by the site's path on the loopback address.
    money::SiteAddress address = host_.empty()
                                     ? money::SiteAddress{"127.0.0.1", "/s/" + site_.config.id}
                                     : money::SiteAddress{host_, base_};
    money_ = std::make_unique<SiteMoney>(site_.config, member(), services_.money, services_.clock,
                                         std::move(address));
  }
  return *money_;
}

identity::MemberTags& RequestContext::tags() const {
  if (!services_.tags) throw sdk::HttpError(503, "member tags need the site's storage");
  return *services_.tags;
}

std::vector<std::string> RequestContext::tags_of(std::string_view member_id) {
  return tags().of(site_.config.id, std::string(member_id));
}

bool RequestContext::set_tag(std::string_view member_id, std::string_view tag, bool on) {
  try {
    return tags().set(site_.config.id, std::string(member_id), std::string(tag), on,
                      services_.clock.now());
  } catch (const identity::IdentityError& e) {
    // A malformed tag is the plugin's request; a missing member is what it asked about.
    throw sdk::HttpError(config::tag_problem(std::string(tag)) ? 400 : 404, e.what());
  }
}

std::vector<std::string> RequestContext::members_tagged(std::string_view tag, int limit) {
  return tags().members_tagged(site_.config.id, std::string(tag), limit);
}

bool RequestContext::entitled(std::string_view key) const {
  const sdk::Member* who = member();
  return who && services_.entitlements &&
         services_.entitlements->allows(site_.config.id, who->id, std::string(key),
                                        services_.clock.now());
}

std::string RequestContext::stage() const {
  const sdk::Member* who = member();
  if (!who || !services_.ladder) return identity::to_string(identity::Stage::Visitor);
  return identity::to_string(services_.ladder->stage_of(site_.config.id, who->id));
}

const sdk::Member* RequestContext::member() const {
  return visitor_ && visitor_->member ? &*visitor_->member : nullptr;
}

sdk::Logger& RequestContext::log() {
  if (!logger_) {
    logger_.emplace(services_.log, "plugin=" + plugin_.name() + " site=" + site_.config.id +
                                       (request_id_.empty() ? "" : " request_id=" + request_id_));
  }
  return *logger_;
}

const sdk::SiteView& RequestContext::site() const {
  return *site_.views.at(plugin_.name());
}

sdk::TenantStore& RequestContext::store() {
  if (!store_) store_ = services_.database.tenant_store(site_.config.id, plugin_.table_prefix);
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
  return services_.renderer.render_page(plugin_.name() + "/" + found->first, found->second, data,
                                        frame);
}

}  // namespace tribe::kernel::instance
