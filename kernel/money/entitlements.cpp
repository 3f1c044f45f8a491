#include "kernel/money/entitlements.hpp"

#include <soci/soci.h>

#include "kernel/money/money.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

using std::chrono::system_clock;

constexpr const char* kEntitlements = "tribe_entitlements";
constexpr std::size_t kMaxNameLength = 200;
constexpr int kMaxDays = 3650;  // as the site YAML allows

constexpr const char* kSelectEntitlements =
    "SELECT tenant_id, account_id, entitlement_key, order_id, starts_at, ends_at, grace_days,"
    " expired FROM tribe_entitlements ";
// Whether an unexpired row still allows at :now (ends_at + grace, in seconds, compared as BIGINT).
constexpr const char* kStillRuns =
    "(ends_at IS NULL OR ends_at + 86400 * CAST(grace_days AS BIGINT) > :now)";

std::string in_quotes(const std::string& text) {
  return "'" + text + "'";
}

void require_name(const std::string& what, const std::string& value, const std::string& example) {
  if (value.empty() || value.size() > kMaxNameLength) {
    throw MoneyError("an entitlement needs " + what + " of 1 to " + std::to_string(kMaxNameLength) +
                     " characters, e.g. " + example);
  }
}

void require_days(const std::string& what, int days, const std::string& key) {
  if (days < 0 || days > kMaxDays) {
    throw MoneyError(what + " of entitlement " + in_quotes(key) + " is " + std::to_string(days) +
                     "; use 0 to " + std::to_string(kMaxDays));
  }
}

void validate_grant(const std::string& tenant, const std::string& account_id,
                    const std::string& key, const std::string& order_id,
                    const std::optional<Term>& term, int trial_days, int grace_days) {
  require_name("a tenant", tenant, "'acme'");
  require_name("an account id", account_id, "'42'");
  require_name("a key", key, "'member'");
  require_name("an order id", order_id, "the paid order's id");
  require_days("trial_days", trial_days, key);
  require_days("grace_days", grace_days, key);
  if (!term && (trial_days > 0 || grace_days > 0)) {
    throw MoneyError("entitlement " + in_quotes(key) + " of order " + in_quotes(order_id) +
                     " has trial or grace days but no term; a grant without a term is for ever, "
                     "so give the offer a term (e.g. P1Y) or drop the days");
  }
}

std::chrono::seconds grace_of(const Entitlement& entitlement) {
  return std::chrono::days(entitlement.grace_days);
}

// Not marked expired and, at `now`, before its end plus grace.
bool runs_at(const Entitlement& entitlement, system_clock::time_point now) {
  return !entitlement.expired &&
         (!entitlement.ends_at || now < *entitlement.ends_at + grace_of(entitlement));
}

// The columns of kSelectEntitlements, in order.
constexpr std::string_view kEntitlementColumns = "ttttiiii";

// One row of kSelectEntitlements: its tenant and the entitlement.
std::pair<std::string, Entitlement> entitlement_of(const store::SqlRow& row) {
  Entitlement entitlement{row.text(1),        row.text(2),
                          row.text(3),        store::from_unix_seconds(row.integer(4)),
                          std::nullopt,       static_cast<int>(row.integer(6)),
                          row.integer(7) != 0};
  if (auto ends_at = row.optional_integer(5))
    entitlement.ends_at = store::from_unix_seconds(*ends_at);
  return {row.text(0), std::move(entitlement)};
}

std::vector<std::pair<std::string, Entitlement>> select_entitlements(
    store::Sql& sql, const std::string& rest, std::initializer_list<store::SqlValue> values) {
  std::vector<std::pair<std::string, Entitlement>> entitlements;
  for (const auto& row : sql.rows(kSelectEntitlements + rest, kEntitlementColumns, values)) {
    entitlements.push_back(entitlement_of(row));
  }
  return entitlements;
}

std::optional<std::int64_t> ends_at_column(const Entitlement& entitlement) {
  if (!entitlement.ends_at) return std::nullopt;
  return store::unix_seconds(*entitlement.ends_at);
}

// The rows of tribe_entitlements and tribe_entitlement_grants of one tenant, on a caller's
// session (and transaction).
class EntitlementRows {
 public:
  EntitlementRows(store::Database& database, soci::session& session, const std::string& tenant)
      : sql_(database, session), backend_(database.backend()), tenant_(tenant) {}

  // Records that `order_id` grants `key` to `account_id`; false, with nothing written, when it
  // did before (a concurrent record of it waits on PostgreSQL, then finds it).
  bool record_grant(const std::string& order_id, const std::string& key,
                    const std::string& account_id, system_clock::time_point now) {
    return sql_.change(
               "INSERT INTO tribe_entitlement_grants (tenant_id, order_id,"
               " entitlement_key, account_id, granted_at)"
               " VALUES (:tenant, :order_id, :key, :account, :granted_at)"
               " ON CONFLICT DO NOTHING",
               {tenant_, order_id, key, account_id, store::unix_seconds(now)}) == 1;
  }

  // The (account, key) pairs `order_id` granted, by key.
  std::vector<std::pair<std::string, std::string>> granted_by(const std::string& order_id) {
    std::vector<std::pair<std::string, std::string>> grants;
    for (const auto& row : sql_.rows("SELECT account_id, entitlement_key"
                                     " FROM tribe_entitlement_grants"
                                     " WHERE tenant_id = :tenant AND order_id = :order_id"
                                     " ORDER BY entitlement_key",
                                     "tt", {tenant_, order_id})) {
      grants.emplace_back(row.text(0), row.text(1));
    }
    return grants;
  }

  // The entitlement, held until the transaction ends: FOR UPDATE on PostgreSQL (on SQLite the
  // write transaction already holds the whole database).
  std::optional<Entitlement> lock(const std::string& account_id, const std::string& key) {
    const std::string for_update = backend_ == store::Backend::Postgresql ? " FOR UPDATE" : "";
    auto rows = select_entitlements(
        sql_,
        "WHERE tenant_id = :tenant AND account_id = :account AND entitlement_key = :key" +
            for_update,
        {tenant_, account_id, key});
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front().second);
  }

  // Inserts a first grant; false, with nothing written, when the row exists (also when a
  // concurrent grant committed it first).
  bool insert(const Entitlement& entitlement) {
    return sql_.change(
               "INSERT INTO tribe_entitlements (tenant_id, account_id,"
               " entitlement_key, order_id, starts_at, ends_at, grace_days, expired)"
               " VALUES (:tenant, :account, :key, :order_id, :starts_at, :ends_at,"
               " :grace_days, 0) ON CONFLICT DO NOTHING",
               {tenant_, entitlement.account_id, entitlement.key, entitlement.order_id,
                store::unix_seconds(entitlement.starts_at), ends_at_column(entitlement),
                entitlement.grace_days}) == 1;
  }

  void update(const Entitlement& entitlement) {
    sql_.change(
        "UPDATE tribe_entitlements SET order_id = :order_id, starts_at = :starts_at,"
        " ends_at = :ends_at, grace_days = :grace_days, expired = :expired"
        " WHERE tenant_id = :tenant AND account_id = :account AND entitlement_key = :key",
        {entitlement.order_id, store::unix_seconds(entitlement.starts_at),
         ends_at_column(entitlement), entitlement.grace_days, entitlement.expired ? 1 : 0, tenant_,
         entitlement.account_id, entitlement.key});
  }

 private:
  store::Sql sql_;
  store::Backend backend_;
  const std::string& tenant_;
};

Entitlement first_grant(const std::string& account_id, const std::string& key,
                        const std::string& order_id, const std::optional<Term>& term,
                        int trial_days, int grace_days, system_clock::time_point now) {
  Entitlement granted{account_id, key, order_id, now, std::nullopt, grace_days, false};
  if (term) granted.ends_at = add_term(now, *term) + std::chrono::days(trial_days);
  return granted;
}

// `held` granted again by another order: extended from its end while it still runs, otherwise
// started afresh at `now`.
Entitlement grant_again(Entitlement held, const std::string& order_id,
                        const std::optional<Term>& term, int grace_days,
                        system_clock::time_point now) {
  if (!runs_at(held, now)) {
    held.starts_at = now;
    held.ends_at = term ? std::optional(add_term(now, *term)) : std::nullopt;
  } else if (!term) {
    held.ends_at = std::nullopt;
  } else if (held.ends_at) {
    held.ends_at = add_term_up_to_last_day(*held.ends_at, *term);
  }  // a for-ever grant renewed with a term stays for ever
  held.order_id = order_id;
  held.grace_days = grace_days;
  held.expired = false;
  return held;
}

}  // namespace

EntitlementBook::EntitlementBook(store::Database& database) : database_(database) {}

Entitlement EntitlementBook::grant_in(soci::session& in_transaction, const std::string& tenant,
                                      const std::string& account_id, const std::string& key,
                                      const std::string& order_id, const std::optional<Term>& term,
                                      int trial_days, int grace_days,
                                      system_clock::time_point now) {
  validate_grant(tenant, account_id, key, order_id, term, trial_days, grace_days);
  now = std::chrono::floor<std::chrono::seconds>(now);  // as the table stores it
  const std::string name = "entitlement " + in_quotes(key) + " of account " +
                           in_quotes(account_id) + " in tenant " + in_quotes(tenant);
  try {
    EntitlementRows rows(database_, in_transaction, tenant);
    if (!rows.record_grant(order_id, key, account_id, now)) {
      for (const auto& [granted_to, granted_key] : rows.granted_by(order_id)) {
        if (granted_key == key && granted_to != account_id) {
          throw MoneyError("order " + in_quotes(order_id) + " granted " + in_quotes(key) +
                           " to account " + in_quotes(granted_to) + ", not " +
                           in_quotes(account_id) + "; an order grants to the account that paid it");
        }
      }
      if (auto held = rows.lock(account_id, key)) return *held;  // granted before: unchanged
      throw MoneyError(name + " is missing though order " + in_quotes(order_id) +
                       " granted it; only the money service may write " + kEntitlements +
                       ", so restore the table from a backup");
    }
    auto held = rows.lock(account_id, key);
    if (!held) {
      Entitlement granted =
          first_grant(account_id, key, order_id, term, trial_days, grace_days, now);
      if (rows.insert(granted)) return granted;
      held = rows.lock(account_id, key);  // a concurrent grant of another order came first
      if (!held) throw MoneyError(name + " could not be granted; deliver the payment again");
    }
    Entitlement granted = grant_again(std::move(*held), order_id, term, grace_days, now);
    rows.update(granted);
    return granted;
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kEntitlements);
  }
}

void EntitlementBook::revoke_order_in(soci::session& in_transaction, const std::string& tenant,
                                      const std::string& order_id, system_clock::time_point now) {
  require_name("a tenant", tenant, "'acme'");
  require_name("an order id", order_id, "the refunded order's id");
  now = std::chrono::floor<std::chrono::seconds>(now);
  try {
    EntitlementRows rows(database_, in_transaction, tenant);
    for (const auto& [account_id, key] : rows.granted_by(order_id)) {
      auto held = rows.lock(account_id, key);
      if (!held) continue;
      if (!held->ends_at || *held->ends_at > now) held->ends_at = now;
      held->expired = true;
      rows.update(*held);
    }
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kEntitlements);
  }
}

bool EntitlementBook::allows(const std::string& tenant, const std::string& account_id,
                             const std::string& key, system_clock::time_point now) const {
  const long long at = store::unix_seconds(now);
  std::int64_t allowing = 0;
  try {
    soci::session session(database_.pool());
    store::Sql sql(database_, session);
    auto row =
        sql.row(std::string("SELECT COUNT(*) FROM tribe_entitlements WHERE tenant_id = :tenant"
                            " AND account_id = :account AND entitlement_key = :key"
                            " AND expired = 0 AND starts_at <= :at AND ") +
                    kStillRuns,
                "i", {tenant, account_id, key, at, at});
    if (row) allowing = row->integer(0);
  } catch (...) {
    store::rethrow_as_store_error(kEntitlements);
  }
  return allowing > 0;
}

std::vector<Entitlement> EntitlementBook::of(const std::string& tenant,
                                             const std::string& account_id) const {
  std::vector<Entitlement> entitlements;
  try {
    soci::session session(database_.pool());
    store::Sql sql(database_, session);
    for (auto& [row_tenant, entitlement] :
         select_entitlements(sql,
                             "WHERE tenant_id = :tenant AND account_id = :account"
                             " ORDER BY entitlement_key",
                             {tenant, account_id})) {
      entitlements.push_back(std::move(entitlement));
    }
  } catch (...) {
    store::rethrow_as_store_error(kEntitlements);
  }
  return entitlements;
}

std::vector<std::pair<std::string, Entitlement>> EntitlementBook::expire_due(
    system_clock::time_point now) {
  const long long at = store::unix_seconds(now);
  std::vector<std::pair<std::string, Entitlement>> expired;
  try {
    soci::session session(database_.pool());
    store::Sql sql(database_, session);
    const auto due =
        select_entitlements(sql,
                            std::string("WHERE expired = 0 AND ends_at IS NOT NULL AND NOT ") +
                                kStillRuns + " ORDER BY tenant_id, account_id, entitlement_key",
                            {at});
    // One short transaction per entitlement, so a payment renewing another waits for little.
    for (const auto& [tenant, entitlement] : due) {
      store::WriteTransaction transaction(database_, session);
      // Compare and set: a renewal committed since the read leaves the row running.
      if (sql.change("UPDATE tribe_entitlements SET expired = 1"
                     " WHERE tenant_id = :tenant AND account_id = :account"
                     " AND entitlement_key = :key AND expired = 0"
                     " AND order_id = :order_id AND ends_at = :ends_at"
                     " AND grace_days = :grace_days",
                     {tenant, entitlement.account_id, entitlement.key, entitlement.order_id,
                      ends_at_column(entitlement), entitlement.grace_days}) == 1) {
        Entitlement marked = entitlement;
        marked.expired = true;
        expired.emplace_back(tenant, std::move(marked));
      }
      transaction.commit();
    }
  } catch (...) {
    store::rethrow_as_store_error(kEntitlements);
  }
  return expired;
}

}  // namespace tribe::kernel::money
