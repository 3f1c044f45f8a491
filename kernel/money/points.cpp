#include "kernel/money/points.hpp"

#include <soci/soci.h>

#include "kernel/money/ledger.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

constexpr std::int64_t kMaxMove = 1'000'000'000;
constexpr std::size_t kMaxKeyLength = 200;
constexpr const char* kIssued = "site:points";

std::string account_of(const std::string& account_id) {
  return "points:" + account_id;
}

std::int64_t points_in(store::Sql& sql, const std::string& tenant, const std::string& account_id) {
  // Entries are debits positive, so points held (a credit to the member) sum negative.
  return -sql.row(
                 "SELECT COALESCE(CAST(SUM(amount) AS BIGINT), 0) FROM tribe_ledger_entries"
                 " WHERE tenant_id = :tenant AND account = :account AND currency = :currency",
                 "i", {tenant, account_of(account_id), kPointsCurrency})
              ->integer(0);
}

}  // namespace

PointsBook::PointsBook(store::Database& database) : database_(database) {}

std::int64_t PointsBook::balance(const std::string& tenant, const std::string& account_id) const {
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  return points_in(sql, tenant, account_id);
}

bool PointsBook::award(const std::string& tenant, const std::string& account_id,
                       std::int64_t amount, const std::string& key, const std::string& reason) {
  return move(tenant, account_id, amount, key, reason, Direction::Award);
}

bool PointsBook::spend(const std::string& tenant, const std::string& account_id,
                       std::int64_t amount, const std::string& key, const std::string& reason) {
  return move(tenant, account_id, amount, key, reason, Direction::Spend);
}

bool PointsBook::move(const std::string& tenant, const std::string& account_id, std::int64_t amount,
                      const std::string& key, const std::string& reason, Direction direction) {
  if (amount < 1 || amount > kMaxMove) {
    throw MoneyError("points move in whole numbers from 1 to " + std::to_string(kMaxMove) +
                     " (got " + std::to_string(amount) + ")");
  }
  if (key.empty() || key.size() > kMaxKeyLength) {
    throw MoneyError("a points key has 1 to " + std::to_string(kMaxKeyLength) + " characters");
  }
  const bool award = direction == Direction::Award;
  const std::string member = account_of(account_id);
  const Transfer transfer{"points:" + key,
                          award ? "points.award" : "points.spend",
                          reason,
                          {{award ? kIssued : member, Amount(amount, kPointsCurrency)},
                           {award ? member : kIssued, Amount(-amount, kPointsCurrency)}}};
  soci::session session(database_.pool());
  try {
    store::WriteTransaction transaction(database_, session);
    store::Sql sql(database_, session);
    if (database_.backend() == store::Backend::Postgresql) {
      // SQLite runs one writer at a time; PostgreSQL serialises this account's moves here, so
      // two spends cannot both read the same balance.
      sql.row("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:account, 0))) AS l",
              "i", {tenant + "/" + member});
    }
    const bool moved_before =
        sql.row(
               "SELECT 1 FROM tribe_ledger_transfers WHERE tenant_id = :tenant AND "
               "transfer_id = :id",
               "i", {tenant, transfer.id})
            .has_value();
    if (!award && !moved_before) {
      const std::int64_t held = points_in(sql, tenant, account_id);
      if (held < amount) {
        throw NotEnoughPoints("not enough points: " + std::to_string(held) + " held, " +
                              std::to_string(amount) + " needed");
      }
    }
    // Posting again the same movement is a no-op; another one under the key is a conflict.
    const bool posted = !Ledger(database_).post_in(session, tenant, transfer).already_posted;
    transaction.commit();
    return posted;
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error("tribe_ledger_entries");
  }
}

}  // namespace tribe::kernel::money
