#pragma once
// The backend a storage test executable runs against; each executable links one implementation.
#include <string>

#include "kernel/store/database.hpp"

namespace tribe::kernel::store::testing {

Backend backend_under_test();

// A URL naming a new, empty database, for one test.
std::string fresh_database_url();
// Deletes what fresh_database_url() made, if anything.
void discard_database(const std::string& url);

// A URL that cannot be opened, and a part of the URL the error message must name.
struct UnopenableDatabase {
  std::string url;
  std::string named_in_error;
};
UnopenableDatabase unopenable_database();

}  // namespace tribe::kernel::store::testing
