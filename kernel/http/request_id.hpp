#pragma once
#include <string>

namespace tribe::kernel::http {

// 16 hex digits, random per request: unique enough to find one request in the logs, and
// revealing nothing about traffic volume (unlike a counter).
std::string new_request_id();

}  // namespace tribe::kernel::http
