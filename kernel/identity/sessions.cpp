#include "kernel/identity/sessions.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "kernel/identity/identity_error.hpp"
#include "kernel/identity/token.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::identity {
namespace {

constexpr const char* kSessions = "tribe_sessions";
constexpr std::size_t kTokenBytes = 32;

}  // namespace

SessionBook::SessionBook(store::Database& database, std::chrono::seconds lifetime)
    : database_(database), lifetime_(lifetime) {
  if (lifetime.count() < 1) {
    throw std::invalid_argument("SessionBook needs a session lifetime of at least 1 second");
  }
}

std::string SessionBook::start(const std::string& tenant, const std::string& account_id,
                               std::chrono::system_clock::time_point now) {
  if (tenant.empty() || account_id.empty()) {
    throw IdentityError("a session needs a site and an account; log in first");
  }
  const std::string token = random_token(kTokenBytes);
  const std::string digest = token_digest(token);
  const long long started_at = store::unix_seconds(now);
  const long long expires_at = started_at + lifetime_.count();
  soci::session session(database_.pool());
  try {
    store::WriteTransaction transaction(database_, session);
    session << "DELETE FROM tribe_sessions"
               " WHERE tenant_id = :tenant AND account_id = :account AND expires_at <= :now",
        soci::use(tenant), soci::use(account_id), soci::use(started_at);
    session << "INSERT INTO tribe_sessions"
               " (tenant_id, token_digest, account_id, started_at, expires_at)"
               " VALUES (:tenant, :digest, :account, :started_at, :expires_at)",
        soci::use(tenant), soci::use(digest), soci::use(account_id), soci::use(started_at),
        soci::use(expires_at);
    transaction.commit();
  } catch (...) {
    store::rethrow_as_store_error(kSessions);
  }
  return token;
}

std::optional<Session> SessionBook::resolve(const std::string& tenant, const std::string& token,
                                            std::chrono::system_clock::time_point now) const {
  const std::string digest = token_digest(token);
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  auto row = sql.row(
      "SELECT account_id, expires_at FROM tribe_sessions"
      " WHERE tenant_id = :tenant AND token_digest = :digest AND expires_at > :now",
      "ti", {tenant, digest, store::unix_seconds(now)});
  if (!row) return std::nullopt;
  Session found;
  found.account_id = row->text(0);
  found.expires_at = store::from_unix_seconds(row->integer(1));
  return found;
}

void SessionBook::end(const std::string& tenant, const std::string& token) {
  const std::string digest = token_digest(token);
  soci::session session(database_.pool());
  session << "DELETE FROM tribe_sessions WHERE tenant_id = :tenant AND token_digest = :digest",
      soci::use(tenant), soci::use(digest);
}

void SessionBook::end_all(const std::string& tenant, const std::string& account_id) {
  soci::session session(database_.pool());
  session << "DELETE FROM tribe_sessions WHERE tenant_id = :tenant AND account_id = :account",
      soci::use(tenant), soci::use(account_id);
}

}  // namespace tribe::kernel::identity
