#include "kernel/money/commissions.hpp"

#include <soci/soci.h>

#include <numeric>
#include <utility>

#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

using std::chrono::system_clock;
using State = Commission::State;

constexpr const char* kCommissions = "tribe_commissions";
constexpr int kAllOfIt = 10000;  // basis points
constexpr const char* kKeep = "keep";
constexpr const char* kClawBack = "claw_back";
constexpr const char* kSiteCommissions = "site:commissions";

constexpr const char* kSelectCommissions =
    "SELECT tenant_id, order_id, level, partner_account_id, amount, currency, state, holds_until"
    " FROM tribe_commissions ";

std::string in_quotes(const std::string& text) {
  return "'" + text + "'";
}

std::optional<State> state_from_string(const std::string& text) {
  for (State state : {State::Held, State::Payable, State::Reversed}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

void validate_rates(const std::vector<int>& rates) {
  if (rates.empty() || rates.size() > static_cast<std::size_t>(CommissionBook::kMaxLevels)) {
    throw CommissionError("the commission rates give " + std::to_string(rates.size()) +
                          " levels; give 1 to " + std::to_string(CommissionBook::kMaxLevels) +
                          " rates in basis points, e.g. [1000, 500] for 10% and 5%");
  }
  for (std::size_t level = 1; level <= rates.size(); ++level) {
    const int rate = rates[level - 1];
    if (rate < 0 || rate > kAllOfIt) {
      throw CommissionError("the commission rate of level " + std::to_string(level) + " is " +
                            std::to_string(rate) + " basis points; use 0 to " +
                            std::to_string(kAllOfIt) + " (1000 is 10%)");
    }
  }
  const long long total = std::accumulate(rates.begin(), rates.end(), 0LL);
  if (total > kAllOfIt) {
    throw CommissionError("the commission rates sum to " + std::to_string(total) +
                          " basis points, more than the whole order (10000); lower them");
  }
}

void validate_hold(const std::string& tenant, const Order& order, const std::vector<int>& rates,
                   std::chrono::seconds refund_window) {
  if (tenant.empty()) throw CommissionError("holding commissions needs a tenant");
  if (order.id.empty()) throw CommissionError("holding commissions needs the paid order's id");
  validate_rates(rates);
  if (refund_window.count() < 0) {
    throw CommissionError("the refund window of order " + in_quotes(order.id) + " is " +
                          std::to_string(refund_window.count()) +
                          " seconds; give 0 or more, e.g. 14 days");
  }
}

// floor(minor_units * rate / 10000) without overflowing 64 bits: the quotient part times a rate
// of at most 10000 is at most minor_units, the remainder part below 10^8.
std::int64_t commission_of(std::int64_t minor_units, int rate) {
  if (minor_units <= 0) return 0;
  return minor_units / kAllOfIt * rate + minor_units % kAllOfIt * rate / kAllOfIt;
}

std::string transfer_id(const Commission& commission) {
  return "order:" + commission.order_id + ":commission:" + std::to_string(commission.level);
}

Amount negated(const Amount& amount) {
  return Amount(-amount.minor_units(), amount.currency());
}

std::string held_account(const Commission& commission) {
  return "commissions:held:" + commission.partner_account_id;
}

std::string payable_account(const Commission& commission) {
  return "commissions:payable:" + commission.partner_account_id;
}

std::string memo(const Commission& commission) {
  return "level " + std::to_string(commission.level) + " commission on order " +
         commission.order_id + " for partner " + commission.partner_account_id;
}

Transfer hold_transfer(const Commission& c) {
  return {transfer_id(c),
          "commission.hold",
          memo(c),
          {{kSiteCommissions, c.amount}, {held_account(c), negated(c.amount)}}};
}

Transfer release_transfer(const Commission& c) {
  return {transfer_id(c) + ":release",
          "commission.release",
          memo(c),
          {{held_account(c), c.amount}, {payable_account(c), negated(c.amount)}}};
}

// Back from where the commission sits now: held, or payable when clawed back.
Transfer reversal_transfer(const Commission& c) {
  const std::string from = c.state == State::Held ? held_account(c) : payable_account(c);
  return {transfer_id(c) + ":reversal",
          "commission.reversal",
          memo(c),
          {{from, c.amount}, {kSiteCommissions, negated(c.amount)}}};
}

// The columns of kSelectCommissions, in order.
constexpr std::string_view kCommissionColumns = "ttititti";

std::pair<std::string, Commission> commission_of_row(const store::SqlRow& row) {
  const int level = static_cast<int>(row.integer(2));
  const std::string state = row.text(6);
  const auto known = state_from_string(state);
  if (!known) {
    throw MoneyError("the level " + std::to_string(level) + " commission of order " +
                     in_quotes(row.text(1)) + " has the unknown state " + in_quotes(state) +
                     " in tribe_commissions; only the money service may write that table, so "
                     "restore the row from a backup");
  }
  return {row.text(0),
          {row.text(1), row.text(3), level, Amount(row.integer(4), row.text(5)), *known,
           store::from_unix_seconds(row.integer(7))}};
}

std::vector<std::pair<std::string, Commission>> select_commissions(
    store::Sql& sql, const std::string& rest, std::initializer_list<store::SqlValue> values) {
  std::vector<std::pair<std::string, Commission>> commissions;
  for (const auto& row : sql.rows(kSelectCommissions + rest, kCommissionColumns, values)) {
    commissions.push_back(commission_of_row(row));
  }
  return commissions;
}

std::vector<Commission> without_tenants(std::vector<std::pair<std::string, Commission>> rows) {
  std::vector<Commission> commissions;
  for (auto& [tenant, commission] : rows) commissions.push_back(std::move(commission));
  return commissions;
}

// The rows of tribe_commissions of one tenant, on a caller's session (and transaction).
class CommissionRows {
 public:
  CommissionRows(store::Database& database, soci::session& session, const std::string& tenant)
      : sql_(database, session), backend_(database.backend()), tenant_(tenant) {}

  std::vector<Commission> of_order(const std::string& order_id) {
    return without_tenants(select_commissions(
        sql_, "WHERE tenant_id = :tenant AND order_id = :order_id ORDER BY level",
        {tenant_, order_id}));
  }

  // of_order(), holding the rows until the transaction ends: FOR UPDATE on PostgreSQL (on SQLite
  // the write transaction already holds the whole database).
  std::vector<Commission> lock_order(const std::string& order_id) {
    const std::string for_update = backend_ == store::Backend::Postgresql ? " FOR UPDATE" : "";
    return without_tenants(select_commissions(
        sql_, "WHERE tenant_id = :tenant AND order_id = :order_id ORDER BY level" + for_update,
        {tenant_, order_id}));
  }

  // Inserts a Held commission; false, with nothing written, when the order's level has one (also
  // a concurrent hold's, which PostgreSQL waits for).
  bool insert(const Commission& commission, system_clock::time_point now) {
    return sql_.change(
               "INSERT INTO tribe_commissions (tenant_id, order_id, level,"
               " partner_account_id, amount, currency, state, created_at,"
               " holds_until) VALUES (:tenant, :order_id, :level, :partner,"
               " :amount, :currency, :state, :created_at, :holds_until)"
               " ON CONFLICT DO NOTHING",
               {tenant_, commission.order_id, commission.level, commission.partner_account_id,
                commission.amount.minor_units(), commission.amount.currency(),
                to_string(commission.state), store::unix_seconds(now),
                store::unix_seconds(commission.holds_until)}) == 1;
  }

  // Moves the commission from its state to `to` if it is still there (compare and set).
  bool move(const Commission& commission, State to, system_clock::time_point now) {
    return sql_.change(
               "UPDATE tribe_commissions SET state = :to, settled_at = :settled_at"
               " WHERE tenant_id = :tenant AND order_id = :order_id"
               " AND level = :level AND state = :from",
               {to_string(to), store::unix_seconds(now), tenant_, commission.order_id,
                commission.level, to_string(commission.state)}) == 1;
  }

 private:
  store::Sql sql_;
  store::Backend backend_;
  const std::string& tenant_;
};

// Moves a locked commission and posts the transfer that goes with it, in the open transaction.
class CommissionMoves {
 public:
  CommissionMoves(soci::session& session, CommissionRows& rows, Ledger& ledger,
                  const std::string& tenant, system_clock::time_point now)
      : session_(session), rows_(rows), ledger_(ledger), tenant_(tenant), now_(now) {}

  void release(Commission& commission) {
    move(commission, State::Payable);
    ledger_.post_in(session_, tenant_, release_transfer(commission));
    commission.state = State::Payable;
  }

  void reverse(Commission& commission) {
    move(commission, State::Reversed);
    ledger_.post_in(session_, tenant_, reversal_transfer(commission));
    commission.state = State::Reversed;
  }

 private:
  void move(const Commission& commission, State to) {
    if (!rows_.move(commission, to, now_)) {
      throw MoneyError("the level " + std::to_string(commission.level) + " commission of order " +
                       in_quotes(commission.order_id) + " of tenant " + in_quotes(tenant_) +
                       " changed while it was being made " + to_string(to) +
                       "; nothing was changed, try again");
    }
  }

  soci::session& session_;
  CommissionRows& rows_;
  Ledger& ledger_;
  const std::string& tenant_;
  system_clock::time_point now_;
};

}  // namespace

std::string to_string(Commission::State state) {
  switch (state) {
    case State::Held:
      return "held";
    case State::Payable:
      return "payable";
    case State::Reversed:
      return "reversed";
  }
  return "unknown";
}

CommissionBook::CommissionBook(store::Database& database, ReferralBook& referrals)
    : database_(database), referrals_(referrals), ledger_(database) {}

std::vector<Commission> CommissionBook::hold_in(soci::session& in_transaction,
                                                const std::string& tenant, const Order& order,
                                                const std::vector<int>& rates_basis_points,
                                                std::chrono::seconds refund_window,
                                                system_clock::time_point now) {
  validate_hold(tenant, order, rates_basis_points, refund_window);
  now = std::chrono::floor<std::chrono::seconds>(now);  // as the table stores it
  try {
    CommissionRows rows(database_, in_transaction, tenant);
    if (auto held = rows.of_order(order.id); !held.empty()) return held;
    const auto upline = referrals_.upline_in(in_transaction, tenant, order.account_id,
                                             static_cast<int>(rates_basis_points.size()));
    std::vector<Commission> held;
    bool all_new = true;
    for (std::size_t index = 0; index < upline.size(); ++index) {
      const std::int64_t amount =
          commission_of(order.amount.minor_units(), rates_basis_points[index]);
      if (amount == 0) continue;
      const Commission commission{order.id,
                                  upline[index],
                                  static_cast<int>(index) + 1,
                                  Amount(amount, order.amount.currency()),
                                  State::Held,
                                  now + refund_window};
      if (rows.insert(commission, now)) {
        ledger_.post_in(in_transaction, tenant, hold_transfer(commission));
        held.push_back(commission);
      } else {
        all_new = false;
      }
    }
    // A level a concurrent hold inserted first is read back as that hold stored it.
    return all_new ? held : rows.of_order(order.id);
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kCommissions);
  }
}

void CommissionBook::reverse_in(soci::session& in_transaction, const std::string& tenant,
                                const std::string& order_id, const std::string& after_window_rule,
                                system_clock::time_point now) {
  if (after_window_rule != kKeep && after_window_rule != kClawBack) {
    throw CommissionError("the referral rule after_window is " + in_quotes(after_window_rule) +
                          "; use 'keep' (the partner keeps a payable commission) or 'claw_back' "
                          "(a refund reverses it too)");
  }
  if (tenant.empty() || order_id.empty()) {
    throw CommissionError("reversing commissions needs a tenant and the refunded order's id");
  }
  now = std::chrono::floor<std::chrono::seconds>(now);
  try {
    CommissionRows rows(database_, in_transaction, tenant);
    CommissionMoves moves(in_transaction, rows, ledger_, tenant, now);
    for (Commission& commission : rows.lock_order(order_id)) {
      if (commission.state == State::Held && commission.holds_until <= now) {
        moves.release(commission);  // its window closed: as if the sweep had run
      }
      if (commission.state == State::Held ||
          (commission.state == State::Payable && after_window_rule == kClawBack)) {
        moves.reverse(commission);
      }
    }
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kCommissions);
  }
}

std::size_t CommissionBook::release_due(system_clock::time_point now) {
  const long long at = store::unix_seconds(now);
  std::size_t released = 0;
  try {
    soci::session session(database_.pool());
    store::Sql sql(database_, session);
    const auto due = select_commissions(sql,
                                        "WHERE state = 'held' AND holds_until <= :at"
                                        " ORDER BY tenant_id, order_id, level",
                                        {at});
    // One short transaction per commission, so a refund of the same order waits for little.
    for (auto [tenant, commission] : due) {
      store::WriteTransaction transaction(database_, session);
      CommissionRows rows(database_, session, tenant);
      // Compare and set: a refund or another sweep that came first leaves it alone.
      if (rows.move(commission, State::Payable, now)) {
        commission.state = State::Payable;
        ledger_.post_in(session, tenant, release_transfer(commission));
        ++released;
      }
      transaction.commit();
    }
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kCommissions);
  }
  return released;
}

std::vector<Commission> CommissionBook::of_partner(const std::string& tenant,
                                                   const std::string& partner_account_id) const {
  try {
    soci::session session(database_.pool());
    store::Sql sql(database_, session);
    return without_tenants(select_commissions(sql,
                                              "WHERE tenant_id = :tenant"
                                              " AND partner_account_id = :partner"
                                              " ORDER BY created_at DESC, order_id, level",
                                              {tenant, partner_account_id}));
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kCommissions);
  }
}

}  // namespace tribe::kernel::money
