#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

#include "kernel/store/tests/test_database.hpp"

namespace tribe::kernel::store::testing {
namespace {

namespace fs = std::filesystem;

fs::path make_temp_folder() {
  std::string pattern = (fs::temp_directory_path() / "tribe-store-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

}  // namespace

Backend backend_under_test() {
  return Backend::Sqlite;
}

// The file sits two folders down, which Database::open has to create.
std::string fresh_database_url() {
  return "sqlite:" + (make_temp_folder() / "instance" / "data" / "tribe.db").string();
}

void discard_database(const std::string& url) {
  const fs::path file = url.substr(std::string("sqlite:").size());
  std::error_code ignored;
  fs::remove_all(file.parent_path().parent_path().parent_path(), ignored);
}

// /dev/null is a file, not a folder that could hold the database.
UnopenableDatabase unopenable_database() {
  return {"sqlite:/dev/null/tribe.db", "/dev/null"};
}

}  // namespace tribe::kernel::store::testing
