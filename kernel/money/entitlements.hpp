#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernel/money/term.hpp"
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

// What one account may use (an offer's `grants` key: "member", "course.math"), and until when.
struct Entitlement {
  std::string account_id;
  std::string key;
  std::string order_id;  // the order that last granted or extended it
  std::chrono::system_clock::time_point starts_at;
  std::optional<std::chrono::system_clock::time_point> ends_at;  // nullopt: for ever (one-time)
  int grace_days = 0;    // after ends_at, still allowed for this many days
  bool expired = false;  // marked by a refund or the sweep; allows() does not wait for the mark
  bool operator==(const Entitlement&) const = default;
};

// The entitlements of each tenant's accounts (tribe_entitlements), granted by paid orders and
// revoked by their refunds, in the payment's own transaction. Each (tenant, order, key) is granted
// once (tribe_entitlement_grants), so a redelivered payment grants nothing twice.
class EntitlementBook {
 public:
  explicit EntitlementBook(store::Database& database);

  // Inside the caller's transaction (the payment's, from PaymentBook::on_paid): grants `key` to the
  // account. With a term: a new grant runs [now, now + term + trial_days); a grant while one is
  // still active (ends_at + grace > now) extends it: ends_at = add_term(ends_at, term), so a
  // renewal keeps no gap and loses no paid day; an expired or revoked one restarts at now.
  // Without a term: for ever. trial_days add to the account's first grant of the key only.
  // Granting the same order and key again changes nothing. Returns the entitlement after.
  // Throws MoneyError for a missing name, days out of 0..3650, trial or grace days without a
  // term, or an order that granted the key to another account before.
  Entitlement grant_in(soci::session& in_transaction, const std::string& tenant,
                       const std::string& account_id, const std::string& key,
                       const std::string& order_id, const std::optional<Term>& term, int trial_days,
                       int grace_days, std::chrono::system_clock::time_point now);

  // A refund, inside its transaction: every key the order granted ends now and is marked
  // expired, also days a later order added to it.
  void revoke_order_in(soci::session& in_transaction, const std::string& tenant,
                       const std::string& order_id, std::chrono::system_clock::time_point now);

  // Whether the account may use `key` at `now`: granted, not marked expired, started, and
  // now < ends_at + grace. Correct whether or not expire_due ran.
  bool allows(const std::string& tenant, const std::string& account_id, const std::string& key,
              std::chrono::system_clock::time_point now) const;

  // The account's entitlements, by key, expired ones too.
  std::vector<Entitlement> of(const std::string& tenant, const std::string& account_id) const;

  // The scheduler's sweep over all tenants: entitlements whose ends_at + grace <= now are marked
  // expired, each in a short transaction of its own. Returns those it marked, as (tenant,
  // entitlement), so the caller can emit events; a second sweep returns none of them again.
  std::vector<std::pair<std::string, Entitlement>> expire_due(
      std::chrono::system_clock::time_point now);

 private:
  store::Database& database_;
};

}  // namespace tribe::kernel::money
