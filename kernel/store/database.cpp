#include "kernel/store/database.hpp"

#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <system_error>

#include "kernel/store/database_url.hpp"
#include "kernel/store/group_commit.hpp"
#include "kernel/store/migrator.hpp"
#include "kernel/store/read_cache.hpp"
#include "kernel/store/session_pool.hpp"
#include "kernel/store/sqlite_library.hpp"
#include "kernel/store/tenant_store.hpp"

namespace tribe::kernel::store {
namespace {

// Set on every connection: these are per-connection in SQLite, except journal_mode, which the
// file keeps but is cheap to assert. busy_timeout goes first so the others wait for a lock
// instead of failing while another connection writes.
constexpr const char* kSqlitePragmas[] = {
    "PRAGMA busy_timeout=5000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
};

void create_parent_folder(const DatabaseUrl& url) {
  const auto folder = url.sqlite_file.parent_path();
  if (folder.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    throw sdk::StoreError("cannot create the folder " + folder.string() + " for database '" +
                          url.display + "': " + error.message() +
                          "; pick a writable location in the database URL");
  }
}

void open_session(soci::session& session, const DatabaseUrl& url) {
  if (url.backend == Backend::Sqlite) {
    session.open(*soci::factory_sqlite3(), url.connection_string);
    for (const char* pragma : kSqlitePragmas) session << pragma;
  } else {
    session.open(*soci::factory_postgresql(), url.connection_string);
  }
}

std::unique_ptr<soci::connection_pool> open_pool(const DatabaseUrl& url, std::size_t pool_size) {
  auto pool = std::make_unique<soci::connection_pool>(pool_size);
  try {
    for (std::size_t i = 0; i < pool_size; ++i) open_session(pool->at(i), url);
  } catch (const std::exception& e) {
    const char* hint = url.backend == Backend::Sqlite
                           ? "check that the file is a SQLite database and its folder is writable"
                           : "check that the server is running and the user, password and "
                             "database in the URL are right";
    throw sdk::StoreError("cannot open database '" + url.display + "': " + e.what() + "; " + hint);
  }
  return pool;
}

}  // namespace

std::unique_ptr<Database> Database::open(const std::string& url, std::size_t pool_size) {
  const DatabaseUrl parsed = DatabaseUrl::parse(url);
  if (pool_size == 0) {
    throw sdk::StoreError("database '" + parsed.display + "' needs a pool of at least 1 session");
  }
  if (parsed.backend == Backend::Sqlite) {
    configure_sqlite_library();
    create_parent_folder(parsed);
  }
  auto pool = open_pool(parsed, pool_size);
  return std::unique_ptr<Database>(
      new Database(parsed.backend, parsed.display, std::move(pool), pool_size));
}

Database::Database(Backend backend, std::string display_url,
                   std::unique_ptr<soci::connection_pool> pool, std::size_t pool_size)
    : backend_(backend),
      display_url_(std::move(display_url)),
      sessions_(std::make_unique<SessionPool>(std::move(pool), pool_size)),
      group_commit_(std::make_unique<GroupCommit>(*this)) {
  // Several nodes may write one PostgreSQL database, and this one would not hear of it.
  if (backend_ == Backend::Sqlite) read_cache_ = std::make_unique<ReadCache>();
}

Database::~Database() = default;

soci::connection_pool& Database::pool() {
  return sessions_->sessions();
}

int Database::migrate(const std::string& component, const std::vector<sdk::Migration>& migrations,
                      const std::string& table_prefix) {
  // Also when a migration fails: what ran before it in this call is applied.
  struct SchemaChanged {
    Database& database;
    ~SchemaChanged() {
      database.sessions_->schema_changed();
      if (database.read_cache_) database.read_cache_->clear();
    }
  } schema_changed{*this};
  soci::session session(sessions_->sessions());
  return Migrator(*sessions_, session, backend_).migrate(component, migrations, table_prefix);
}

std::unique_ptr<sdk::TenantStore> Database::tenant_store(const std::string& tenant_id,
                                                         const std::string& table_prefix) {
  return std::make_unique<SqlTenantStore>(*sessions_, backend_, read_cache_.get(),
                                          TenantSql(tenant_id, table_prefix));
}

}  // namespace tribe::kernel::store
