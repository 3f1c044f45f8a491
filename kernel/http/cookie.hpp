#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "tribe/sdk/http.hpp"

namespace tribe::kernel::http {

// A Set-Cookie value scoped to the site the request reached: Path is the site's base ("/s/<id>/"
// or "/"), so two sites on one host never share a cookie. Always HttpOnly and SameSite=Lax;
// Secure when the request came over TLS or a trusted proxy says so. No max_age: until the
// browser closes; zero: delete now.
std::string set_cookie(const sdk::Request& request, const std::string& name,
                       const std::string& value, std::optional<std::chrono::seconds> max_age);

}  // namespace tribe::kernel::http
