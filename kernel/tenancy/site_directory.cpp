#include "kernel/tenancy/site_directory.hpp"

#include <stdexcept>

namespace tribe::kernel::tenancy {

void SiteDirectory::add(const config::SiteConfig& site) {
  if (ids_.contains(site.id)) throw std::invalid_argument("site id '" + site.id + "' is taken");
  for (const auto& host : site.hosts) {
    if (site_by_host_.contains(host)) {
      throw std::invalid_argument("host '" + host + "' is taken by site '" +
                                  site_by_host_.find(host)->second + "'");
    }
  }
  ids_.insert(site.id);
  for (const auto& host : site.hosts) site_by_host_.emplace(host, site.id);
}

std::optional<SiteAddress> SiteDirectory::resolve(std::string_view host,
                                                  std::string_view path) const {
  if (path.starts_with(kPrefix)) {
    std::string_view rest = path.substr(kPrefix.size());
    std::size_t slash = rest.find('/');
    std::string_view id = rest.substr(0, slash);
    if (!ids_.contains(id)) return std::nullopt;
    std::string inner = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    return SiteAddress{std::string(id), std::move(inner), std::string(kPrefix) + std::string(id)};
  }
  auto site = site_by_host_.find(host);
  if (site == site_by_host_.end()) return std::nullopt;
  return SiteAddress{site->second, path.empty() ? "/" : std::string(path), ""};
}

}  // namespace tribe::kernel::tenancy
