#include <soci/soci.h>

#include <atomic>

#include "kernel/store/tests/test_database.hpp"
#include "tests/support/postgres_server.hpp"

namespace tribe::kernel::store::testing {
namespace {

using tribe::test::PostgresServer;

std::string url_of(const std::string& database) {
  const std::string& server = PostgresServer::shared().url();
  return server.substr(0, server.rfind('/') + 1) + database;
}

void run_on_server(const std::string& sql) {
  auto admin = Database::open(PostgresServer::shared().url(), 1);
  soci::session session(admin->pool());
  session << sql;
}

}  // namespace

Backend backend_under_test() {
  return Backend::Postgresql;
}

// Every test gets its own database on the binary's one server.
std::string fresh_database_url() {
  static std::atomic<int> next{0};
  const std::string name = "tribe_t" + std::to_string(next++);
  run_on_server("CREATE DATABASE " + name);
  return url_of(name);
}

void discard_database(const std::string& url) {
  run_on_server("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) + " WITH (FORCE)");
}

// Port 1 is privileged and never the test server's.
UnopenableDatabase unopenable_database() {
  return {"postgresql://postgres:hunter2@127.0.0.1:1/tribe_test",
          "postgresql://postgres:***@127.0.0.1:1/tribe_test"};
}

}  // namespace tribe::kernel::store::testing
