#include "kernel/money/referrals.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <limits>

#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

using std::chrono::system_clock;

constexpr const char* kReferrals = "tribe_referrals";
constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxAccountIdLength = 100;

std::string in_quotes(const std::string& text) {
  return "'" + text + "'";
}

void require_name(const std::string& what, const std::string& value, const std::string& example) {
  if (value.empty() || value.size() > kMaxNameLength) {
    throw ReferralError("a referral needs " + what + " of 1 to " + std::to_string(kMaxNameLength) +
                        " characters, e.g. " + example);
  }
}

bool is_account_id(const std::string& id) {
  return !id.empty() && id.size() <= kMaxAccountIdLength &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '@' || c == '-';
         });
}

void require_account_id(const std::string& what, const std::string& id) {
  if (!is_account_id(id)) {
    throw ReferralError(what + " " + in_quotes(id) + " is not an account id; send the account's " +
                        "id (1 to " + std::to_string(kMaxAccountIdLength) +
                        " letters, digits, '_', '.', '@' or '-'), not its name or email");
  }
}

std::optional<std::string> read_referrer(store::Sql& sql, const std::string& tenant,
                                         const std::string& account_id) {
  auto row = sql.row(
      "SELECT partner_account_id FROM tribe_referrals"
      " WHERE tenant_id = :tenant AND account_id = :account",
      "t", {tenant, account_id});
  if (!row) return std::nullopt;
  return row->text(0);
}

struct Touch {
  std::string partner_account_id;
  system_clock::time_point touched_at;
};

std::optional<Touch> read_touch(soci::session& session, const std::string& tenant,
                                const std::string& visitor_id) {
  std::string partner;
  long long touched_at = 0;
  session << "SELECT partner_account_id, touched_at FROM tribe_referral_touches"
             " WHERE tenant_id = :tenant AND visitor_id = :visitor",
      soci::into(partner), soci::into(touched_at), soci::use(tenant), soci::use(visitor_id);
  if (!session.got_data()) return std::nullopt;
  return Touch{partner, store::from_unix_seconds(touched_at)};
}

// Referrers upwards from `account_id`: at most `levels`, stopping before the account itself or
// one already named, so a cycle ends the walk instead of looping.
std::vector<std::string> walk_up(store::Sql& sql, const std::string& tenant,
                                 const std::string& account_id, int levels) {
  std::vector<std::string> chain;
  std::string current = account_id;
  while (static_cast<int>(chain.size()) < levels) {
    auto next = read_referrer(sql, tenant, current);
    if (!next || *next == account_id ||
        std::find(chain.begin(), chain.end(), *next) != chain.end()) {
      break;
    }
    chain.push_back(*next);
    current = std::move(*next);
  }
  return chain;
}

// Binding `account_id` to `partner` must not make the partner its own (indirect) referrer.
bool would_cycle(store::Sql& sql, const std::string& tenant, const std::string& account_id,
                 const std::string& partner) {
  if (partner == account_id) return true;
  const auto chain = walk_up(sql, tenant, partner, std::numeric_limits<int>::max());
  return std::find(chain.begin(), chain.end(), account_id) != chain.end();
}

// Inserts the binding; false, with nothing written, when the account is bound already (also by a
// concurrent bind, which PostgreSQL waits for).
bool insert_binding(soci::session& session, const std::string& tenant,
                    const std::string& account_id, const std::string& partner,
                    system_clock::time_point now) {
  const long long bound_at = store::unix_seconds(now);
  soci::statement insert =
      (session.prepare << "INSERT INTO tribe_referrals (tenant_id, account_id,"
                          " partner_account_id, bound_at)"
                          " VALUES (:tenant, :account, :partner, :bound_at)"
                          " ON CONFLICT DO NOTHING",
       soci::use(tenant), soci::use(account_id), soci::use(partner), soci::use(bound_at));
  insert.execute(true);
  return insert.get_affected_rows() == 1;
}

}  // namespace

ReferralBook::ReferralBook(store::Database& database) : database_(database) {}

void ReferralBook::touch(const std::string& tenant, const std::string& visitor_id,
                         const std::string& partner_account_id, system_clock::time_point now) {
  require_name("a tenant", tenant, "'acme'");
  require_name("a visitor id", visitor_id, "the visitor's cookie value");
  require_account_id("partner", partner_account_id);
  const long long touched_at = store::unix_seconds(now);
  try {
    soci::session session(database_.pool());
    // One statement: concurrent touches of one visitor cannot lose the latest.
    session << "INSERT INTO tribe_referral_touches (tenant_id, visitor_id, partner_account_id,"
               " touched_at) VALUES (:tenant, :visitor, :partner, :touched_at)"
               " ON CONFLICT (tenant_id, visitor_id) DO UPDATE"
               " SET partner_account_id = excluded.partner_account_id,"
               " touched_at = excluded.touched_at"
               " WHERE excluded.touched_at >= tribe_referral_touches.touched_at",
        soci::use(tenant), soci::use(visitor_id), soci::use(partner_account_id),
        soci::use(touched_at);
  } catch (...) {
    store::rethrow_as_store_error("tribe_referral_touches");
  }
}

std::optional<std::string> ReferralBook::bind(const std::string& tenant,
                                              const std::string& visitor_id,
                                              const std::string& account_id,
                                              std::chrono::seconds window,
                                              system_clock::time_point now) {
  require_name("a tenant", tenant, "'acme'");
  require_name("a visitor id", visitor_id, "the visitor's cookie value");
  require_account_id("account", account_id);
  if (window.count() < 0) {
    throw ReferralError("the attribution window is " + std::to_string(window.count()) +
                        " seconds; give the site's referral window as 0 or more, e.g. 30 days");
  }
  try {
    soci::session session(database_.pool());
    store::Sql sql(database_, session);
    store::WriteTransaction transaction(database_, session);
    if (auto bound = read_referrer(sql, tenant, account_id)) return bound;
    const auto touch = read_touch(session, tenant, visitor_id);
    if (!touch || now - touch->touched_at > window ||
        would_cycle(sql, tenant, account_id, touch->partner_account_id)) {
      return std::nullopt;
    }
    if (!insert_binding(session, tenant, account_id, touch->partner_account_id, now)) {
      return read_referrer(sql, tenant, account_id);
    }
    transaction.commit();
    return touch->partner_account_id;
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kReferrals);
  }
}

std::optional<std::string> ReferralBook::referrer_of(const std::string& tenant,
                                                     const std::string& account_id) const {
  try {
    soci::session session(database_.pool());
    store::Sql sql(database_, session);
    return read_referrer(sql, tenant, account_id);
  } catch (...) {
    store::rethrow_as_store_error(kReferrals);
  }
}

std::vector<std::string> ReferralBook::upline(const std::string& tenant,
                                              const std::string& account_id, int levels) const {
  soci::session session(database_.pool());
  return upline_in(session, tenant, account_id, levels);
}

std::vector<std::string> ReferralBook::upline_in(soci::session& session, const std::string& tenant,
                                                 const std::string& account_id, int levels) const {
  try {
    store::Sql sql(database_, session);
    return walk_up(sql, tenant, account_id, levels);
  } catch (...) {
    store::rethrow_as_store_error(kReferrals);
  }
}

std::vector<std::string> ReferralBook::referred_by(const std::string& tenant,
                                                   const std::string& partner_account_id) const {
  std::vector<std::string> accounts;
  try {
    soci::session session(database_.pool());
    std::string account_id;
    soci::statement rows =
        (session.prepare << "SELECT account_id FROM tribe_referrals"
                            " WHERE tenant_id = :tenant AND partner_account_id = :partner"
                            " ORDER BY bound_at, account_id",
         soci::into(account_id), soci::use(tenant), soci::use(partner_account_id));
    rows.execute();
    while (rows.fetch()) accounts.push_back(account_id);
  } catch (...) {
    store::rethrow_as_store_error(kReferrals);
  }
  return accounts;
}

}  // namespace tribe::kernel::money
