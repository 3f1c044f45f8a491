#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "kernel/identity/identity_error.hpp"
#include "kernel/identity/throttle.hpp"
#include "kernel/store/database.hpp"

namespace tribe::kernel::identity {

struct Account {
  std::string id;
  std::string email;  // trimmed, lower-case
  std::string display_name;
  std::string created_at;  // UTC, ISO 8601
};

struct LoginResult {
  enum class Outcome { LoggedIn, WrongCredentials, Throttled } outcome;
  std::optional<Account> account;       // set when LoggedIn
  std::chrono::seconds retry_after{0};  // set when Throttled
  std::string message;  // user-facing; never says which of email and password was wrong
};

// The accounts of every tenant, in tribe_accounts: an email is unique per tenant, so the same
// address on two sites is two separate accounts. Passwords are kept only as argon2id hashes.
class AccountBook {
 public:
  explicit AccountBook(store::Database& database);

  // Creates the tables of component "kernel.identity" (tribe_accounts, tribe_sessions,
  // tribe_login_failures) if missing; SessionBook and LoginThrottle rely on it. Returns how many
  // migrations it applied.
  int migrate();

  // A new account. The email is trimmed and lower-cased and must look like an email; the display
  // name must have 1 to 80 characters (the part before '@' when empty); the password 8 to 1024
  // bytes. IdentityError, nothing stored, when any is wrong or the email is taken on this tenant.
  Account sign_up(const std::string& tenant, const std::string& email,
                  const std::string& display_name, const std::string& password);

  std::optional<Account> find(const std::string& tenant, const std::string& account_id) const;
  // `email` in any case and with surrounding spaces.
  std::optional<Account> find_by_email(const std::string& tenant, const std::string& email) const;

  // Refused (Throttled) without checking the password while the email or the address has too
  // many recent failures (LoginThrottle). Otherwise checks the password: success forgets the
  // email's failures; a wrong password or an unknown email records one failure for the email and
  // one for the address, and costs the same time either way.
  LoginResult log_in(const std::string& tenant, const std::string& email,
                     const std::string& password, const std::string& client_address,
                     std::chrono::system_clock::time_point now);

  // Stores a hash of `new_password` (same rules as sign-up) once `old_password` is verified;
  // WrongPassword when it is not. Sessions stay: end them with SessionBook::end_all.
  void change_password(const std::string& tenant, const std::string& account_id,
                       const std::string& old_password, const std::string& new_password);

 private:
  store::Database& database_;
  LoginThrottle throttle_;
};

}  // namespace tribe::kernel::identity
