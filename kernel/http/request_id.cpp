#include "kernel/http/request_id.hpp"

#include <cstdio>
#include <random>

namespace tribe::kernel::http {

std::string new_request_id() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(generator()));
  return text;
}

}  // namespace tribe::kernel::http
