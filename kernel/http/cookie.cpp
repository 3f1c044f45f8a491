#include "kernel/http/cookie.hpp"

#include <Poco/Net/HTTPCookie.h>

namespace tribe::kernel::http {

std::string set_cookie(const sdk::Request& request, const std::string& name,
                       const std::string& value, std::optional<std::chrono::seconds> max_age) {
  Poco::Net::HTTPCookie cookie(name, value);
  cookie.setPath(request.base.empty() ? "/" : request.base + "/");
  cookie.setHttpOnly(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
  cookie.setSecure(request.secure);
  if (max_age) cookie.setMaxAge(static_cast<int>(max_age->count()));
  return cookie.toString();
}

}  // namespace tribe::kernel::http
