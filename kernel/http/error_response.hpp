#pragma once
#include <string>

#include "tribe/sdk/http.hpp"

namespace tribe::kernel::http {

// API paths answer errors as JSON: {"error": {"status", "message", "request_id"}}.
bool wants_json(const sdk::Request& request);
sdk::Response json_error(int status, const std::string& message, const std::string& request_id);
// A minimal page for errors that happen before any site is known (no layout, no theme).
sdk::Response plain_error(int status, const std::string& message, const std::string& request_id);

}  // namespace tribe::kernel::http
