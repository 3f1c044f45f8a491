#pragma once
// The person behind a request, as the kernel's identity service knows them on one site.
#include <string>

#include "tribe/sdk/abi.hpp"

namespace tribe::sdk {

struct TRIBE_SDK_API Member {
  std::string id;  // stable per site; never the same person on another site
  std::string email;
  std::string display_name;
  bool admin = false;  // named in the site YAML's `admins`
};

}  // namespace tribe::sdk
