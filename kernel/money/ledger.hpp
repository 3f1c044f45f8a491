#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/money/money.hpp"
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

// A transfer or query the ledger refuses; the message says what is wrong and how to fix it.
class LedgerError : public MoneyError {
 public:
  using MoneyError::MoneyError;
};

// A transfer id posted before with different content: ids are idempotency keys, so a caller
// reusing one for another transfer has a bug the ledger must not paper over.
class LedgerConflict : public LedgerError {
 public:
  using LedgerError::LedgerError;
};

// One line of a transfer. Accounts are named "<kind>:<name>[:...]", e.g. "site:revenue",
// "member:42:cash", "commissions:held", "escrow:order-7".
struct Entry {
  std::string account;
  Amount amount;  // positive: debit, negative: credit
  bool operator==(const Entry&) const = default;
};

struct Transfer {
  std::string id;    // idempotency key chosen by the caller, unique per tenant
  std::string kind;  // what happened: "payment", "refund", "commission.hold", ...
  std::string memo;
  std::vector<Entry> entries;
};

struct TransferResult {
  Transfer transfer;       // as stored
  std::string created_at;  // UTC, ISO 8601, of the first posting
  bool already_posted = false;
};

struct Balance {
  std::string account;
  Amount amount;
};

// Something that breaks double entry. `transfer_id` is empty for a tenant-wide problem.
struct LedgerProblem {
  std::string tenant;
  std::string currency;
  std::string transfer_id;
  std::string what;
  std::string to_string() const;
};

struct LedgerCheck {
  std::size_t transfers = 0;
  std::size_t tenants = 0;
  std::vector<LedgerProblem> problems;
  bool balanced() const { return problems.empty(); }
};

// The instance's double-entry ledger. Transfers are immutable: there is no update or delete, a
// mistake is corrected by a further transfer. Every balance is a sum over entries.
class Ledger {
 public:
  explicit Ledger(store::Database& database);

  // Creates the money tables (component "kernel.money", money_migrations.hpp: the ledger, orders
  // and payments) if they are missing; returns how many migrations it applied.
  int migrate();

  // Posts `transfer` for `tenant` in one transaction. Refuses (LedgerError, nothing written)
  // fewer than two entries, a zero amount, a bad account, and currencies whose entries do not
  // sum to zero. Posting an id again returns the stored transfer (`already_posted`) if its
  // content is identical and throws LedgerConflict otherwise, also when two posts race.
  TransferResult post(const std::string& tenant, const Transfer& transfer);
  // post() inside the caller's open transaction on `in_transaction` (no BEGIN or COMMIT of its
  // own), so the transfer commits or rolls back with the caller's other writes. Same refusals and
  // idempotency; a refusal throws before anything is written.
  TransferResult post_in(soci::session& in_transaction, const std::string& tenant,
                         const Transfer& transfer);

  std::int64_t balance(const std::string& tenant, const std::string& account,
                       const std::string& currency) const;
  // Every account of `tenant` with entries, by account and currency.
  std::vector<Balance> balances(const std::string& tenant) const;

  // Checks every tenant: each currency's entries sum to zero, and so do each transfer's.
  LedgerCheck check() const;

 private:
  store::Database& database_;
};

}  // namespace tribe::kernel::money
