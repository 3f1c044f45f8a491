#include "kernel/identity/accounts.hpp"

#include <soci/soci.h>

#include "kernel/identity/account_rules.hpp"
#include "kernel/identity/identity_schema.hpp"
#include "kernel/identity/password.hpp"
#include "kernel/identity/token.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"

namespace tribe::kernel::identity {
namespace {

constexpr const char* kAccounts = "tribe_accounts";

struct StoredAccount {
  Account account;
  std::string password_hash;
};

// `key_column` is "account_id" or "email", never user input.
std::optional<StoredAccount> read_account(store::Database& database, const std::string& tenant,
                                          const std::string& key_column, const std::string& key) {
  soci::session session(database.pool());
  store::Sql sql(database, session);
  auto row = sql.row(
      "SELECT account_id, email, display_name, created_at, password_hash"
      " FROM tribe_accounts WHERE tenant_id = :tenant AND " +
          key_column + " = :key",
      "ttttt", {tenant, key});
  if (!row) return std::nullopt;
  StoredAccount stored;
  stored.account.id = row->text(0);
  stored.account.email = row->text(1);
  stored.account.display_name = row->text(2);
  stored.account.created_at = row->text(3);
  stored.password_hash = row->text(4);
  return stored;
}

void insert_account(soci::session& session, const std::string& tenant, const Account& account,
                    const std::string& password_hash) {
  session << "INSERT INTO tribe_accounts"
             " (tenant_id, account_id, email, display_name, password_hash, created_at)"
             " VALUES (:tenant, :id, :email, :name, :hash, :created_at)",
      soci::use(tenant), soci::use(account.id), soci::use(account.email),
      soci::use(account.display_name), soci::use(password_hash), soci::use(account.created_at);
}

IdentityError email_taken() {
  return IdentityError("an account with this email already exists on this site; log in instead");
}

void require_tenant(const std::string& tenant) {
  if (tenant.empty()) throw IdentityError("an account belongs to a site; no tenant was given");
}

// An unknown email is checked against this hash so that it takes as long as a wrong password
// and timing does not reveal which emails have accounts.
const std::string& decoy_hash() {
  static const std::string hash = hash_password(random_token());
  return hash;
}

LoginResult wrong_credentials() {
  return {LoginResult::Outcome::WrongCredentials, std::nullopt, std::chrono::seconds(0),
          "the email or the password is wrong; check both and try again"};
}

}  // namespace

AccountBook::AccountBook(store::Database& database) : database_(database), throttle_(database) {}

int AccountBook::migrate() {
  return database_.migrate("kernel.identity", identity_migrations());
}

Account AccountBook::sign_up(const std::string& tenant, const std::string& email,
                             const std::string& display_name, const std::string& password) {
  require_tenant(tenant);
  Account account;
  account.email = checked_email(email);
  account.display_name = checked_display_name(display_name, account.email);
  check_password_length(password);
  if (find_by_email(tenant, account.email)) throw email_taken();

  const std::string password_hash = hash_password(password);
  account.id = random_token(16);
  account.created_at = store::utc_timestamp();
  soci::session session(database_.pool());
  try {
    insert_account(session, tenant, account, password_hash);
  } catch (...) {
    // The same email signed up between our look-up and our insert.
    if (store::is_unique_violation()) throw email_taken();
    store::rethrow_as_store_error(kAccounts);
  }
  return account;
}

std::optional<Account> AccountBook::find(const std::string& tenant,
                                         const std::string& account_id) const {
  auto stored = read_account(database_, tenant, "account_id", account_id);
  if (!stored) return std::nullopt;
  return stored->account;
}

std::optional<Account> AccountBook::find_by_email(const std::string& tenant,
                                                  const std::string& email) const {
  auto stored = read_account(database_, tenant, "email", normalized_email(email));
  if (!stored) return std::nullopt;
  return stored->account;
}

LoginResult AccountBook::log_in(const std::string& tenant, const std::string& email,
                                const std::string& password, const std::string& client_address,
                                std::chrono::system_clock::time_point now) {
  const std::string normal_email = normalized_email(email);
  if (auto refusal = throttle_.refusal(tenant, normal_email, client_address, now)) {
    return {LoginResult::Outcome::Throttled, std::nullopt, refusal->retry_after,
            std::move(refusal->message)};
  }
  auto stored = read_account(database_, tenant, "email", normal_email);
  const bool verified = verify_password(stored ? stored->password_hash : decoy_hash(), password);
  if (!stored || !verified) {
    throttle_.record_failure(tenant, normal_email, client_address, now);
    return wrong_credentials();
  }
  throttle_.clear_account(tenant, normal_email);
  std::string welcome = "welcome back, " + stored->account.display_name;
  return {LoginResult::Outcome::LoggedIn, std::move(stored->account), std::chrono::seconds(0),
          std::move(welcome)};
}

void AccountBook::change_password(const std::string& tenant, const std::string& account_id,
                                  const std::string& old_password,
                                  const std::string& new_password) {
  check_password_length(new_password);
  const auto stored = read_account(database_, tenant, "account_id", account_id);
  if (!stored) {
    throw IdentityError("there is no account '" + account_id + "' on this site; log in again");
  }
  if (!verify_password(stored->password_hash, old_password)) {
    throw WrongPassword("the current password is wrong; type it again");
  }
  const std::string password_hash = hash_password(new_password);
  soci::session session(database_.pool());
  session << "UPDATE tribe_accounts SET password_hash = :hash"
             " WHERE tenant_id = :tenant AND account_id = :id",
      soci::use(password_hash), soci::use(tenant), soci::use(account_id);
}

}  // namespace tribe::kernel::identity
