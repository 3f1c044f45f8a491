#pragma once
#include <filesystem>
#include <string>

#include "kernel/store/database.hpp"

namespace tribe::kernel::store {

// What a database URL from the instance configuration names.
struct DatabaseUrl {
  Backend backend = Backend::Sqlite;
  std::filesystem::path sqlite_file;  // Backend::Sqlite only
  std::string connection_string;      // what the SOCI backend is opened with (libpq key=value)
  std::string display;                // the URL with its password masked, for messages and logs

  // Throws sdk::StoreError for a scheme other than sqlite: and postgresql:// (or postgres://).
  static DatabaseUrl parse(const std::string& url);
};

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db".
std::string mask_password(const std::string& url);

}  // namespace tribe::kernel::store
