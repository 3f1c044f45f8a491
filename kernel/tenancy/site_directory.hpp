#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "kernel/config/site_config.hpp"

namespace tribe::kernel::tenancy {

// Where a request lands: the site, the path inside it, and the prefix its links need.
struct SiteAddress {
  std::string site_id;
  std::string path;  // starts with '/'
  std::string base;  // "" when reached by host, "/s/<id>" when reached by prefix
};

class SiteDirectory {
 public:
  static constexpr std::string_view kPrefix = "/s/";

  // Throws std::invalid_argument when the id or a host is already taken.
  void add(const config::SiteConfig& site);

  // `/s/<id>/...` wins over the Host header, so every site is reachable on 127.0.0.1.
  std::optional<SiteAddress> resolve(std::string_view host, std::string_view path) const;

 private:
  std::set<std::string, std::less<>> ids_;
  std::map<std::string, std::string, std::less<>> site_by_host_;
};

}  // namespace tribe::kernel::tenancy
