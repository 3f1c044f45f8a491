#include "kernel/money/entitlements.hpp"

#include <soci/soci.h>

#include "kernel/money/money.hpp"
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

// One tribe_entitlements row as SOCI reads it.
struct EntitlementRecord {
  std::string tenant;
  Entitlement entitlement;
  long long starts_at = 0;
  long long ends_at = 0;
  soci::indicator ends_at_indicator = soci::i_null;
  int expired = 0;

  void exchange_into(soci::statement& statement) {
    statement.exchange(soci::into(tenant));
    statement.exchange(soci::into(entitlement.account_id));
    statement.exchange(soci::into(entitlement.key));
    statement.exchange(soci::into(entitlement.order_id));
    statement.exchange(soci::into(starts_at));
    statement.exchange(soci::into(ends_at, ends_at_indicator));
    statement.exchange(soci::into(entitlement.grace_days));
    statement.exchange(soci::into(expired));
  }

  std::pair<std::string, Entitlement> read() const {
    Entitlement row = entitlement;
    row.starts_at = store::from_unix_seconds(starts_at);
    row.ends_at.reset();
    if (ends_at_indicator == soci::i_ok) row.ends_at = store::from_unix_seconds(ends_at);
    row.expired = expired != 0;
    return {tenant, std::move(row)};
  }
};

// Runs kSelectEntitlements + `rest` with `uses` bound in order.
template <typename... Uses>
std::vector<std::pair<std::string, Entitlement>> select_entitlements(soci::session& session,
                                                                     const std::string& rest,
                                                                     const Uses&... uses) {
  EntitlementRecord record;
  soci::statement statement(session);
  record.exchange_into(statement);
  (statement.exchange(soci::use(uses)), ...);
  statement.alloc();
  statement.prepare(kSelectEntitlements + rest);
  statement.define_and_bind();
  statement.execute();
  std::vector<std::pair<std::string, Entitlement>> rows;
  while (statement.fetch()) rows.push_back(record.read());
  return rows;
}

// The rows of tribe_entitlements and tribe_entitlement_grants of one tenant, on a caller's
// session (and transaction).
class EntitlementRows {
 public:
  EntitlementRows(soci::session& session, store::Backend backend, const std::string& tenant)
      : session_(session), backend_(backend), tenant_(tenant) {}

  // Records that `order_id` grants `key` to `account_id`; false, with nothing written, when it
  // did before (a concurrent record of it waits on PostgreSQL, then finds it).
  bool record_grant(const std::string& order_id, const std::string& key,
                    const std::string& account_id, system_clock::time_point now) {
    const long long granted_at = store::unix_seconds(now);
    soci::statement insert =
        (session_.prepare << "INSERT INTO tribe_entitlement_grants (tenant_id, order_id,"
                             " entitlement_key, account_id, granted_at)"
                             " VALUES (:tenant, :order_id, :key, :account, :granted_at)"
                             " ON CONFLICT DO NOTHING",
         soci::use(tenant_), soci::use(order_id), soci::use(key), soci::use(account_id),
         soci::use(granted_at));
    insert.execute(true);
    return insert.get_affected_rows() == 1;
  }

  // The (account, key) pairs `order_id` granted, by key.
  std::vector<std::pair<std::string, std::string>> granted_by(const std::string& order_id) {
    std::string account_id;
    std::string key;
    soci::statement select =
        (session_.prepare << "SELECT account_id, entitlement_key FROM tribe_entitlement_grants"
                             " WHERE tenant_id = :tenant AND order_id = :order_id"
                             " ORDER BY entitlement_key",
         soci::into(account_id), soci::into(key), soci::use(tenant_), soci::use(order_id));
    select.execute();
    std::vector<std::pair<std::string, std::string>> grants;
    while (select.fetch()) grants.emplace_back(account_id, key);
    return grants;
  }

  // The entitlement, held until the transaction ends: FOR UPDATE on PostgreSQL (on SQLite the
  // write transaction already holds the whole database).
  std::optional<Entitlement> lock(const std::string& account_id, const std::string& key) {
    const std::string for_update = backend_ == store::Backend::Postgresql ? " FOR UPDATE" : "";
    auto rows = select_entitlements(
        session_,
        "WHERE tenant_id = :tenant AND account_id = :account AND entitlement_key = :key" +
            for_update,
        tenant_, account_id, key);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front().second);
  }

  // Inserts a first grant; false, with nothing written, when the row exists (also when a
  // concurrent grant committed it first).
  bool insert(const Entitlement& entitlement) {
    Columns columns(entitlement);
    soci::statement insert =
        (session_.prepare << "INSERT INTO tribe_entitlements (tenant_id, account_id,"
                             " entitlement_key, order_id, starts_at, ends_at, grace_days, expired)"
                             " VALUES (:tenant, :account, :key, :order_id, :starts_at, :ends_at,"
                             " :grace_days, 0) ON CONFLICT DO NOTHING",
         soci::use(tenant_), soci::use(entitlement.account_id), soci::use(entitlement.key),
         soci::use(entitlement.order_id), soci::use(columns.starts_at),
         soci::use(columns.ends_at, columns.ends_at_indicator), soci::use(entitlement.grace_days));
    insert.execute(true);
    return insert.get_affected_rows() == 1;
  }

  void update(const Entitlement& entitlement) {
    Columns columns(entitlement);
    const int expired = entitlement.expired ? 1 : 0;
    session_ << "UPDATE tribe_entitlements SET order_id = :order_id, starts_at = :starts_at,"
                " ends_at = :ends_at, grace_days = :grace_days, expired = :expired"
                " WHERE tenant_id = :tenant AND account_id = :account AND entitlement_key = :key",
        soci::use(entitlement.order_id), soci::use(columns.starts_at),
        soci::use(columns.ends_at, columns.ends_at_indicator), soci::use(entitlement.grace_days),
        soci::use(expired), soci::use(tenant_), soci::use(entitlement.account_id),
        soci::use(entitlement.key);
  }

 private:
  // The times of an entitlement as its columns hold them.
  struct Columns {
    explicit Columns(const Entitlement& entitlement)
        : starts_at(store::unix_seconds(entitlement.starts_at)),
          ends_at(entitlement.ends_at ? store::unix_seconds(*entitlement.ends_at) : 0),
          ends_at_indicator(entitlement.ends_at ? soci::i_ok : soci::i_null) {}
    long long starts_at;
    long long ends_at;
    soci::indicator ends_at_indicator;
  };

  soci::session& session_;
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
    EntitlementRows rows(in_transaction, database_.backend(), tenant);
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
    EntitlementRows rows(in_transaction, database_.backend(), tenant);
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
  long long allowing = 0;
  try {
    soci::session session(database_.pool());
    session << std::string(
                   "SELECT COUNT(*) FROM tribe_entitlements WHERE tenant_id = :tenant"
                   " AND account_id = :account AND entitlement_key = :key"
                   " AND expired = 0 AND starts_at <= :at AND ") +
                   kStillRuns,
        soci::into(allowing), soci::use(tenant), soci::use(account_id), soci::use(key),
        soci::use(at), soci::use(at);
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
    for (auto& [row_tenant, entitlement] :
         select_entitlements(session,
                             "WHERE tenant_id = :tenant AND account_id = :account"
                             " ORDER BY entitlement_key",
                             tenant, account_id)) {
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
    const auto due =
        select_entitlements(session,
                            std::string("WHERE expired = 0 AND ends_at IS NOT NULL AND NOT ") +
                                kStillRuns + " ORDER BY tenant_id, account_id, entitlement_key",
                            at);
    // One short transaction per entitlement, so a payment renewing another waits for little.
    for (const auto& [tenant, entitlement] : due) {
      store::WriteTransaction transaction(session, database_.backend());
      const long long ends_at = store::unix_seconds(*entitlement.ends_at);
      // Compare and set: a renewal committed since the read leaves the row running.
      soci::statement mark =
          (session.prepare << "UPDATE tribe_entitlements SET expired = 1"
                              " WHERE tenant_id = :tenant AND account_id = :account"
                              " AND entitlement_key = :key AND expired = 0"
                              " AND order_id = :order_id AND ends_at = :ends_at"
                              " AND grace_days = :grace_days",
           soci::use(tenant), soci::use(entitlement.account_id), soci::use(entitlement.key),
           soci::use(entitlement.order_id), soci::use(ends_at), soci::use(entitlement.grace_days));
      mark.execute(true);
      if (mark.get_affected_rows() == 1) {
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
