#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "kernel/store/database.hpp"

namespace tribe::kernel::identity {

struct Session {
  std::string account_id;
  std::chrono::system_clock::time_point expires_at;
};

// Log-in sessions in tribe_sessions (created by AccountBook::migrate). The caller holds the token
// (a cookie); the table holds only its SHA-256 digest, so a leaked table opens no session. A token
// is bound to its tenant: on another tenant it resolves to nothing.
class SessionBook {
 public:
  explicit SessionBook(store::Database& database,
                       std::chrono::seconds lifetime = std::chrono::hours(24 * 30));

  // A new session for `account_id` ending at now + lifetime; returns its token (256 random bits,
  // 43 URL-safe base64 characters). Also forgets the account's expired sessions.
  std::string start(const std::string& tenant, const std::string& account_id,
                    std::chrono::system_clock::time_point now);

  // The session `token` names on `tenant`; nothing when unknown, ended or expired at `now`.
  std::optional<Session> resolve(const std::string& tenant, const std::string& token,
                                 std::chrono::system_clock::time_point now) const;

  void end(const std::string& tenant, const std::string& token);
  // Ends every session of the account, e.g. after its password changed.
  void end_all(const std::string& tenant, const std::string& account_id);

 private:
  store::Database& database_;
  std::chrono::seconds lifetime_;
};

}  // namespace tribe::kernel::identity
