#include "kernel/money/ledger.hpp"

#include <soci/soci.h>

#include <chrono>
#include <ctime>
#include <map>
#include <regex>

#include "kernel/money/money_migrations.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

constexpr const char* kTransfers = "tribe_ledger_transfers";
constexpr std::size_t kMaxIdLength = 200;

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

// "<kind>:<name>[:<name>...]": a lower-case kind, then names a member or order id can fill.
bool is_account_name(const std::string& account) {
  static const std::regex pattern("[a-z][a-z0-9_-]*(:[A-Za-z0-9_.@-]+)+");
  return account.size() <= kMaxIdLength && std::regex_match(account, pattern);
}

void validate_entry(const std::string& where, const Entry& entry) {
  if (!is_account_name(entry.account)) {
    throw LedgerError(where + ": account " + quoted(entry.account) +
                      " is not an account name; use '<kind>:<name>', e.g. 'site:revenue' or "
                      "'member:42:cash'");
  }
  if (entry.amount.minor_units() == 0) {
    throw LedgerError(where + ": the entry for " + quoted(entry.account) +
                      " is zero; leave it out");
  }
}

void validate_sums(const std::string& where, const std::vector<Entry>& entries) {
  std::map<std::string, std::int64_t> sums;
  for (const auto& entry : entries) {
    auto& sum = sums[entry.amount.currency()];
    if (__builtin_add_overflow(sum, entry.amount.minor_units(), &sum)) {
      throw LedgerError(where + ": the " + entry.amount.currency() +
                        " entries overflow 64 bits; split the transfer");
    }
  }
  for (const auto& [currency, sum] : sums) {
    if (sum != 0) {
      throw LedgerError(where + ": the " + currency + " entries sum to " + std::to_string(sum) +
                        ", not 0; debits (positive) must equal credits (negative)");
    }
  }
}

void validate(const std::string& tenant, const Transfer& transfer) {
  if (tenant.empty()) throw LedgerError("a transfer needs a tenant");
  if (transfer.id.empty() || transfer.id.size() > kMaxIdLength) {
    throw LedgerError("a transfer needs an id (its idempotency key) of 1 to " +
                      std::to_string(kMaxIdLength) + " characters");
  }
  const std::string where = "transfer " + quoted(transfer.id) + " of tenant " + quoted(tenant);
  if (transfer.kind.empty()) throw LedgerError(where + " needs a kind, e.g. 'payment'");
  if (transfer.entries.size() < 2) {
    throw LedgerError(where + " has " + std::to_string(transfer.entries.size()) +
                      " entries; a transfer needs at least two (a debit and a credit)");
  }
  for (const auto& entry : transfer.entries) validate_entry(where, entry);
  validate_sums(where, transfer.entries);
}

bool same_content(const Transfer& a, const Transfer& b) {
  return a.kind == b.kind && a.memo == b.memo && a.entries == b.entries;
}

std::optional<TransferResult> read_transfer(store::Sql& sql, const std::string& tenant,
                                            const std::string& id) {
  auto head = sql.row(
      "SELECT kind, memo, created_at FROM tribe_ledger_transfers"
      " WHERE tenant_id = :tenant AND transfer_id = :id",
      "ttt", {tenant, id});
  if (!head) return std::nullopt;
  TransferResult stored;
  stored.transfer.id = id;
  stored.transfer.kind = head->text(0);
  stored.transfer.memo = head->text(1);
  stored.created_at = head->text(2);
  stored.already_posted = true;
  for (const auto& entry : sql.rows("SELECT account, currency, amount FROM tribe_ledger_entries"
                                    " WHERE tenant_id = :tenant AND transfer_id = :id"
                                    " ORDER BY line",
                                    "tti", {tenant, id})) {
    stored.transfer.entries.push_back({entry.text(0), Amount(entry.integer(2), entry.text(1))});
  }
  return stored;
}

TransferResult as_repost(TransferResult stored, const std::string& tenant,
                         const Transfer& transfer) {
  if (!same_content(stored.transfer, transfer)) {
    throw LedgerConflict("transfer " + quoted(transfer.id) + " of tenant " + quoted(tenant) +
                         " was posted on " + stored.created_at +
                         " with a different kind, memo or entries; an id names one transfer, "
                         "so post a new transfer under a new id");
  }
  return stored;
}

// Writes `transfer` in the session's open transaction, or returns the one stored under its id.
// ON CONFLICT DO NOTHING instead of catching the duplicate key: a failed statement would abort the
// whole transaction on PostgreSQL, and here the transaction may be the caller's. On PostgreSQL it
// also waits for a concurrent insert of the id to commit, so the read after it sees that row.
TransferResult write(store::Sql& sql, const std::string& tenant, const Transfer& transfer) {
  const std::string created_at = store::utc_timestamp();
  if (sql.change("INSERT INTO tribe_ledger_transfers (tenant_id, transfer_id, kind, memo,"
                 " created_at) VALUES (:tenant, :id, :kind, :memo, :created_at)"
                 " ON CONFLICT DO NOTHING",
                 {tenant, transfer.id, transfer.kind, transfer.memo, created_at}) == 0) {
    auto stored = read_transfer(sql, tenant, transfer.id);
    if (!stored) {
      throw LedgerError("transfer " + quoted(transfer.id) + " of tenant " + quoted(tenant) +
                        " collided with a concurrent post that is not visible; post it again");
    }
    return as_repost(std::move(*stored), tenant, transfer);
  }
  int line = 0;
  for (const auto& entry : transfer.entries) {
    ++line;
    sql.change(
        "INSERT INTO tribe_ledger_entries"
        " (tenant_id, transfer_id, line, account, currency, amount)"
        " VALUES (:tenant, :id, :line, :account, :currency, :amount)",
        {tenant, transfer.id, line, entry.account, entry.amount.currency(),
         entry.amount.minor_units()});
  }
  return {transfer, created_at, false};
}

void add_count(soci::session& session, const std::string& sql, std::size_t& count) {
  long long value = 0;
  session << sql, soci::into(value);
  count = static_cast<std::size_t>(value);
}

// Each currency's entries, over a whole tenant, sum to zero.
void check_tenant_sums(soci::session& session, std::vector<LedgerProblem>& problems) {
  std::string tenant;
  std::string currency;
  long long sum = 0;
  soci::statement rows =
      (session.prepare << "SELECT tenant_id, currency, CAST(SUM(amount) AS BIGINT)"
                          " FROM tribe_ledger_entries GROUP BY tenant_id, currency"
                          " HAVING SUM(amount) <> 0 ORDER BY tenant_id, currency",
       soci::into(tenant), soci::into(currency), soci::into(sum));
  rows.execute();
  while (rows.fetch()) {
    problems.push_back(
        {tenant, currency, "",
         "debits and credits differ: the entries sum to " + std::to_string(sum) + ", not 0"});
  }
}

// Each transfer's entries, per currency, sum to zero.
void check_transfer_sums(soci::session& session, std::vector<LedgerProblem>& problems) {
  std::string tenant;
  std::string transfer;
  std::string currency;
  long long sum = 0;
  soci::statement rows =
      (session.prepare << "SELECT tenant_id, transfer_id, currency, CAST(SUM(amount) AS BIGINT)"
                          " FROM tribe_ledger_entries GROUP BY tenant_id, transfer_id, currency"
                          " HAVING SUM(amount) <> 0 ORDER BY tenant_id, transfer_id, currency",
       soci::into(tenant), soci::into(transfer), soci::into(currency), soci::into(sum));
  rows.execute();
  while (rows.fetch()) {
    problems.push_back({tenant, currency, transfer,
                        "unbalanced: its entries sum to " + std::to_string(sum) + ", not 0"});
  }
}

// Every transfer has at least two entries, and every entry belongs to a transfer.
void check_shapes(soci::session& session, std::vector<LedgerProblem>& problems) {
  std::string tenant;
  std::string transfer;
  long long count = 0;
  soci::statement thin =
      (session.prepare << "SELECT t.tenant_id, t.transfer_id, COUNT(e.line)"
                          " FROM tribe_ledger_transfers t LEFT JOIN tribe_ledger_entries e"
                          " ON e.tenant_id = t.tenant_id AND e.transfer_id = t.transfer_id"
                          " GROUP BY t.tenant_id, t.transfer_id HAVING COUNT(e.line) < 2"
                          " ORDER BY t.tenant_id, t.transfer_id",
       soci::into(tenant), soci::into(transfer), soci::into(count));
  thin.execute();
  while (thin.fetch()) {
    problems.push_back({tenant, "", transfer,
                        "has " + std::to_string(count) + " entries; a transfer needs at least 2"});
  }
  soci::statement orphans =
      (session.prepare << "SELECT DISTINCT e.tenant_id, e.transfer_id FROM tribe_ledger_entries e"
                          " WHERE NOT EXISTS (SELECT 1 FROM tribe_ledger_transfers t"
                          " WHERE t.tenant_id = e.tenant_id AND t.transfer_id = e.transfer_id)"
                          " ORDER BY e.tenant_id, e.transfer_id",
       soci::into(tenant), soci::into(transfer));
  orphans.execute();
  while (orphans.fetch()) {
    problems.push_back({tenant, "", transfer, "has entries but no transfer record"});
  }
}

}  // namespace

std::string LedgerProblem::to_string() const {
  std::string text = "tenant " + quoted(tenant);
  if (!transfer_id.empty()) text += ", transfer " + quoted(transfer_id);
  if (!currency.empty()) text += ", " + currency;
  return text + ": " + what;
}

Ledger::Ledger(store::Database& database) : database_(database) {}

int Ledger::migrate() {
  return database_.migrate("kernel.money", money_migrations());
}

TransferResult Ledger::post(const std::string& tenant, const Transfer& transfer) {
  validate(tenant, transfer);
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  // A repost needs no write lock.
  if (auto stored = read_transfer(sql, tenant, transfer.id)) {
    return as_repost(std::move(*stored), tenant, transfer);
  }
  try {
    store::WriteTransaction transaction(database_, session);
    TransferResult result = write(sql, tenant, transfer);
    transaction.commit();
    return result;
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kTransfers);
  }
}

TransferResult Ledger::post_in(soci::session& in_transaction, const std::string& tenant,
                               const Transfer& transfer) {
  validate(tenant, transfer);
  try {
    store::Sql sql(database_, in_transaction);
    return write(sql, tenant, transfer);
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kTransfers);
  }
}

std::int64_t Ledger::balance(const std::string& tenant, const std::string& account,
                             const std::string& currency) const {
  long long sum = 0;
  soci::session session(database_.pool());
  session << "SELECT COALESCE(CAST(SUM(amount) AS BIGINT), 0) FROM tribe_ledger_entries"
             " WHERE tenant_id = :tenant AND account = :account AND currency = :currency",
      soci::into(sum), soci::use(tenant), soci::use(account), soci::use(currency);
  return sum;
}

std::vector<Balance> Ledger::balances(const std::string& tenant) const {
  std::vector<Balance> result;
  std::string account;
  std::string currency;
  long long sum = 0;
  soci::session session(database_.pool());
  soci::statement rows =
      (session.prepare << "SELECT account, currency, CAST(SUM(amount) AS BIGINT)"
                          " FROM tribe_ledger_entries WHERE tenant_id = :tenant"
                          " GROUP BY account, currency ORDER BY account, currency",
       soci::into(account), soci::into(currency), soci::into(sum), soci::use(tenant));
  rows.execute();
  while (rows.fetch()) result.push_back({account, Amount(sum, currency)});
  return result;
}

LedgerCheck Ledger::check() const {
  LedgerCheck result;
  soci::session session(database_.pool());
  add_count(session, "SELECT COUNT(*) FROM tribe_ledger_transfers", result.transfers);
  add_count(session, "SELECT COUNT(DISTINCT tenant_id) FROM tribe_ledger_transfers",
            result.tenants);
  check_tenant_sums(session, result.problems);
  check_transfer_sums(session, result.problems);
  check_shapes(session, result.problems);
  return result;
}

}  // namespace tribe::kernel::money
