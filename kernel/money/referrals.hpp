#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kernel/money/money.hpp"
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

// A touch or binding the referral book refuses: the message names the value and what to send.
class ReferralError : public MoneyError {
 public:
  using MoneyError::MoneyError;
};

// Who brought whom, per tenant: a visitor's last touch by a partner's link or code
// (tribe_referral_touches) and the partner each account was bound to at sign-up (tribe_referrals).
// Account ids name ledger accounts ("commissions:held:<partner>"), so they are 1 to 100 letters,
// digits, '_', '.', '@' or '-', as identity's ids are.
class ReferralBook {
 public:
  explicit ReferralBook(store::Database& database);

  // A visitor arrived by partner `partner_account_id`'s link or code. Keyed by a visitor id (a
  // cookie value the caller keeps) so it works before sign-up. Last touch wins: the latest `now`,
  // so a touch recorded late with an earlier time changes nothing.
  void touch(const std::string& tenant, const std::string& visitor_id,
             const std::string& partner_account_id, std::chrono::system_clock::time_point now);

  // At sign-up: binds the account to the partner of the visitor's last touch if it was within
  // `window` (now - touched_at <= window, e.g. 30 days). An account is bound once: a bound account
  // keeps its partner. Never to itself, nor to a partner whose own upline leads back to it.
  // Returns the account's partner after the call, or nullopt when it has none.
  std::optional<std::string> bind(const std::string& tenant, const std::string& visitor_id,
                                  const std::string& account_id, std::chrono::seconds window,
                                  std::chrono::system_clock::time_point now);

  std::optional<std::string> referrer_of(const std::string& tenant,
                                         const std::string& account_id) const;

  // Level 1 = the account's referrer, level 2 = the referrer's referrer; at most `levels`, and it
  // stops before an account it already named (a cycle written past this book).
  std::vector<std::string> upline(const std::string& tenant, const std::string& account_id,
                                  int levels) const;
  // upline() on the caller's session, inside its transaction (CommissionBook::hold_in).
  std::vector<std::string> upline_in(soci::session& session, const std::string& tenant,
                                     const std::string& account_id, int levels) const;

  // The accounts bound to the partner, oldest binding first.
  std::vector<std::string> referred_by(const std::string& tenant,
                                       const std::string& partner_account_id) const;

 private:
  store::Database& database_;
};

}  // namespace tribe::kernel::money
