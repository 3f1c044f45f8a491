#include "kernel/money/holdings.hpp"

#include <soci/soci.h>

#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

using std::chrono::system_clock;
using Kind = Holding::Kind;
using State = Holding::State;

constexpr const char* kHoldings = "tribe_holdings";
constexpr const char* kRevenue = "site:revenue";
constexpr const char* kFees = "site:fees";
constexpr int kAllOfIt = 10000;  // basis points

constexpr const char* kSelectHoldings =
    "SELECT order_id, offer_id, account_id, kind, amount, currency, state, reason"
    " FROM tribe_holdings ";

std::string in_quotes(const std::string& text) {
  return "'" + text + "'";
}

Amount negated(const Amount& amount) {
  return Amount(-amount.minor_units(), amount.currency());
}

std::optional<State> state_from_string(const std::string& text) {
  for (State state :
       {State::Held, State::Returning, State::Returned, State::Forfeited, State::Released}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

// One tribe_holdings row as SOCI reads it.
struct HoldingRecord {
  std::string order_id, offer_id, account_id, kind, state, reason, currency;
  long long amount = 0;

  void exchange_into(soci::statement& statement) {
    statement.exchange(soci::into(order_id));
    statement.exchange(soci::into(offer_id));
    statement.exchange(soci::into(account_id));
    statement.exchange(soci::into(kind));
    statement.exchange(soci::into(amount));
    statement.exchange(soci::into(currency));
    statement.exchange(soci::into(state));
    statement.exchange(soci::into(reason));
  }

  Holding read() const {
    const auto known_kind = holding_kind(kind);
    const auto known_state = state_from_string(state);
    if (!known_kind || !known_state) {
      throw MoneyError("the holding of order " + in_quotes(order_id) + " has the unknown kind " +
                       in_quotes(kind) + " or state " + in_quotes(state) +
                       " in tribe_holdings; only the money service may write that table, so "
                       "restore the row from a backup");
    }
    return {order_id,     offer_id, account_id, *known_kind, Amount(amount, currency),
            *known_state, reason};
  }
};

template <typename... Uses>
std::vector<Holding> select_holdings(soci::session& session, const std::string& rest,
                                     const Uses&... uses) {
  HoldingRecord record;
  soci::statement statement(session);
  record.exchange_into(statement);
  (statement.exchange(soci::use(uses)), ...);
  statement.alloc();
  statement.prepare(kSelectHoldings + rest);
  statement.define_and_bind();
  statement.execute();
  std::vector<Holding> rows;
  while (statement.fetch()) rows.push_back(record.read());
  return rows;
}

// Compare and set of one holding's state; whether this call moved it.
bool move(soci::session& session, const std::string& tenant, const std::string& order_id,
          State from, State to, const std::string& reason, system_clock::time_point now) {
  const std::string from_state = to_string(from);
  const std::string to_state = to_string(to);
  const long long settled_at = store::unix_seconds(now);
  soci::statement update =
      (session.prepare << "UPDATE tribe_holdings SET state = :to, reason = :reason,"
                          " settled_at = :settled_at WHERE tenant_id = :tenant"
                          " AND order_id = :order_id AND state = :from",
       soci::use(to_state), soci::use(reason), soci::use(settled_at), soci::use(tenant),
       soci::use(order_id), soci::use(from_state));
  update.execute(true);
  return update.get_affected_rows() == 1;
}

Transfer settlement(const Holding& holding, const std::string& step, std::string memo,
                    std::vector<Entry> entries) {
  return {"order:" + holding.order_id + ":" + step, "holding." + step, std::move(memo),
          std::move(entries)};
}

}  // namespace

std::string to_string(Holding::Kind kind) {
  return kind == Kind::Deposit ? "deposit" : "escrow";
}

std::string to_string(Holding::State state) {
  switch (state) {
    case State::Held:
      return "held";
    case State::Returning:
      return "returning";
    case State::Returned:
      return "returned";
    case State::Forfeited:
      return "forfeited";
    case State::Released:
      return "released";
  }
  return "unknown";
}

std::optional<Holding::Kind> holding_kind(const std::string& text) {
  if (text == "deposit") return Kind::Deposit;
  if (text == "escrow") return Kind::Escrow;
  return std::nullopt;
}

std::string pot_account(Holding::Kind kind, const std::string& offer_id) {
  return (kind == Kind::Deposit ? "deposits:" : "escrow:") + offer_id;
}

HoldingBook::HoldingBook(store::Database& database) : database_(database), ledger_(database) {}

void HoldingBook::hold_in(soci::session& in_transaction, const std::string& tenant,
                          const Order& order, Holding::Kind kind, system_clock::time_point now) {
  try {
    const std::string kind_text = to_string(kind);
    const std::string state = to_string(State::Held);
    const long long amount = order.amount.minor_units();
    const long long held_at = store::unix_seconds(now);
    soci::statement insert =
        (in_transaction.prepare
             << "INSERT INTO tribe_holdings (tenant_id, order_id, offer_id, account_id, kind,"
                " amount, currency, state, reason, held_at) VALUES (:tenant, :order_id,"
                " :offer_id, :account_id, :kind, :amount, :currency, :state, '', :held_at)"
                " ON CONFLICT DO NOTHING",
         soci::use(tenant), soci::use(order.id), soci::use(order.offer_id),
         soci::use(order.account_id), soci::use(kind_text), soci::use(amount),
         soci::use(order.amount.currency()), soci::use(state), soci::use(held_at));
    insert.execute(true);
    if (insert.get_affected_rows() != 1) return;  // held before
    const std::string pot = pot_account(kind, order.offer_id);
    ledger_.post_in(in_transaction, tenant,
                    {"order:" + order.id + ":hold",
                     "holding.hold",
                     "order " + order.id + " into " + pot,
                     {{kRevenue, order.amount}, {pot, negated(order.amount)}}});
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kHoldings);
  }
}

bool HoldingBook::start_return(const std::string& tenant, const std::string& order_id,
                               const std::string& reason, system_clock::time_point now) {
  try {
    soci::session session(database_.pool());
    store::WriteTransaction transaction(database_, session);
    const bool moved = move(session, tenant, order_id, State::Held, State::Returning, reason, now);
    transaction.commit();
    if (moved) return true;
    // Asked back before and the refund never arrived: asking again keeps the first reason.
    const auto holding = find(tenant, order_id);
    return holding && holding->state == State::Returning;
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kHoldings);
  }
}

void HoldingBook::cancel_return(const std::string& tenant, const std::string& order_id) {
  try {
    soci::session session(database_.pool());
    store::WriteTransaction transaction(database_, session);
    move(session, tenant, order_id, State::Returning, State::Held, "", system_clock::now());
    transaction.commit();
  } catch (...) {
    store::rethrow_as_store_error(kHoldings);
  }
}

void HoldingBook::unhold_in(soci::session& in_transaction, const std::string& tenant,
                            const std::string& order_id, system_clock::time_point now) {
  try {
    auto rows = select_holdings(in_transaction, "WHERE tenant_id = :tenant AND order_id = :order",
                                tenant, order_id);
    if (rows.empty()) return;
    const Holding& holding = rows.front();
    const std::string reason = holding.reason.empty() ? "refunded" : holding.reason;
    if (!move(in_transaction, tenant, order_id, State::Returning, State::Returned, reason, now) &&
        !move(in_transaction, tenant, order_id, State::Held, State::Returned, reason, now)) {
      return;  // forfeited or released before: the refund comes out of revenue
    }
    const std::string pot = pot_account(holding.kind, holding.offer_id);
    ledger_.post_in(in_transaction, tenant,
                    settlement(holding, "unhold", "order " + order_id + " refunded out of " + pot,
                               {{pot, holding.amount}, {kRevenue, negated(holding.amount)}}));
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kHoldings);
  }
}

bool HoldingBook::forfeit(const std::string& tenant, const std::string& order_id,
                          const std::string& to_account, const std::string& reason,
                          system_clock::time_point now) {
  try {
    soci::session session(database_.pool());
    store::WriteTransaction transaction(database_, session);
    auto rows = select_holdings(session, "WHERE tenant_id = :tenant AND order_id = :order", tenant,
                                order_id);
    if (rows.empty() || rows.front().state != State::Held) return false;
    const Holding& holding = rows.front();
    if (holding.kind != Kind::Deposit) {
      throw MoneyError("order " + in_quotes(order_id) +
                       " is a pledge in escrow; release or return it, only deposits are forfeited");
    }
    if (!move(session, tenant, order_id, State::Held, State::Forfeited, reason, now)) return false;
    const std::string pot = pot_account(holding.kind, holding.offer_id);
    ledger_.post_in(session, tenant,
                    settlement(holding, "forfeit", "deposit " + order_id + " forfeited: " + reason,
                               {{pot, holding.amount}, {to_account, negated(holding.amount)}}));
    transaction.commit();
    return true;
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kHoldings);
  }
}

std::size_t HoldingBook::release(const std::string& tenant, const std::string& offer_id,
                                 int fee_basis_points, const std::string& reason,
                                 system_clock::time_point now) {
  if (fee_basis_points < 0 || fee_basis_points > kAllOfIt) {
    throw MoneyError("the escrow fee of offer " + in_quotes(offer_id) + " is " +
                     std::to_string(fee_basis_points) +
                     " basis points; use 0 to 10000 (500 is 5%)");
  }
  std::size_t released = 0;
  try {
    soci::session session(database_.pool());
    const auto holdings = select_holdings(session,
                                          "WHERE tenant_id = :tenant AND offer_id = :offer"
                                          " ORDER BY held_at, order_id",
                                          tenant, offer_id);
    for (const Holding& holding : holdings) {
      if (holding.kind != Kind::Escrow || holding.state != State::Held) continue;
      // One short transaction per pledge; the compare-and-set makes a concurrent release skip it.
      store::WriteTransaction transaction(database_, session);
      if (!move(session, tenant, holding.order_id, State::Held, State::Released, reason, now)) {
        continue;
      }
      const std::int64_t total = holding.amount.minor_units();
      const std::int64_t fee = total * fee_basis_points / kAllOfIt;
      const std::string& currency = holding.amount.currency();
      // The ledger refuses zero entries: no fee line at 0%, no payout line at 100%.
      std::vector<Entry> entries = {{pot_account(Kind::Escrow, offer_id), holding.amount}};
      if (fee < total) entries.push_back({"payouts:" + offer_id, Amount(fee - total, currency)});
      if (fee > 0) entries.push_back({kFees, Amount(-fee, currency)});
      ledger_.post_in(
          session, tenant,
          settlement(holding, "release", "pledge " + holding.order_id + " released: " + reason,
                     std::move(entries)));
      transaction.commit();
      ++released;
    }
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kHoldings);
  }
  return released;
}

std::optional<Holding> HoldingBook::find(const std::string& tenant,
                                         const std::string& order_id) const {
  try {
    soci::session session(database_.pool());
    auto rows = select_holdings(session, "WHERE tenant_id = :tenant AND order_id = :order", tenant,
                                order_id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kHoldings);
  }
}

std::vector<Holding> HoldingBook::of_offer(const std::string& tenant,
                                           const std::string& offer_id) const {
  try {
    soci::session session(database_.pool());
    return select_holdings(session,
                           "WHERE tenant_id = :tenant AND offer_id = :offer"
                           " ORDER BY held_at, order_id",
                           tenant, offer_id);
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kHoldings);
  }
}

}  // namespace tribe::kernel::money
