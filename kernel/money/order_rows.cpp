#include "kernel/money/order_rows.hpp"

#include <soci/soci.h>

#include "kernel/store/timestamp.hpp"

namespace tribe::kernel::money {
namespace {

constexpr const char* kSelectOrders =
    "SELECT order_id, account_id, offer_id, quantity, amount, currency, state, provider,"
    " referrer, idempotency_key, created_at, reserved_until, paid_at FROM tribe_orders ";

// One tribe_orders row as SOCI reads it.
struct OrderRecord {
  std::string id;
  std::string account_id;
  std::string offer_id;
  int quantity = 0;
  long long amount = 0;
  std::string currency;
  std::string state;
  std::string provider;
  std::string referrer;
  std::string idempotency_key;
  long long created_at = 0;
  long long reserved_until = 0;
  long long paid_at = 0;
  soci::indicator paid_at_indicator = soci::i_null;

  void exchange_into(soci::statement& statement) {
    statement.exchange(soci::into(id));
    statement.exchange(soci::into(account_id));
    statement.exchange(soci::into(offer_id));
    statement.exchange(soci::into(quantity));
    statement.exchange(soci::into(amount));
    statement.exchange(soci::into(currency));
    statement.exchange(soci::into(state));
    statement.exchange(soci::into(provider));
    statement.exchange(soci::into(referrer));
    statement.exchange(soci::into(idempotency_key));
    statement.exchange(soci::into(created_at));
    statement.exchange(soci::into(reserved_until));
    statement.exchange(soci::into(paid_at, paid_at_indicator));
  }

  Order to_order() const {
    const auto known = order_state_from_string(state);
    if (!known) {
      throw MoneyError("order '" + id + "' has the unknown state '" + state +
                       "' in tribe_orders; only the money service may write that table, so "
                       "restore the row from a backup");
    }
    std::optional<std::chrono::system_clock::time_point> paid;
    if (paid_at_indicator == soci::i_ok) paid = store::from_unix_seconds(paid_at);
    return {id,
            account_id,
            offer_id,
            quantity,
            Amount(amount, currency),
            *known,
            provider,
            referrer,
            idempotency_key,
            store::from_unix_seconds(created_at),
            store::from_unix_seconds(reserved_until),
            paid};
  }
};

// Runs kSelectOrders + `rest` with `uses` bound in order.
template <typename... Uses>
std::vector<Order> select_orders(soci::session& session, const std::string& rest,
                                 const Uses&... uses) {
  OrderRecord record;
  soci::statement statement(session);
  record.exchange_into(statement);
  (statement.exchange(soci::use(uses)), ...);
  statement.alloc();
  statement.prepare(kSelectOrders + rest);
  statement.define_and_bind();
  statement.execute();
  std::vector<Order> orders;
  while (statement.fetch()) orders.push_back(record.to_order());
  return orders;
}

std::optional<Order> first(std::vector<Order> orders) {
  if (orders.empty()) return std::nullopt;
  return std::move(orders.front());
}

// Pending orders reserved until `now` or earlier, and matching `and_where` with `uses`.
template <typename... Uses>
std::vector<OrderRows::Overdue> select_overdue(soci::session& session,
                                               std::chrono::system_clock::time_point now,
                                               const std::string& and_where, const Uses&... uses) {
  const std::string pending = to_string(OrderState::Pending);
  const long long until = store::unix_seconds(now);
  OrderRows::Overdue row{};
  soci::statement statement(session);
  statement.exchange(soci::into(row.tenant));
  statement.exchange(soci::into(row.order_id));
  statement.exchange(soci::into(row.offer_id));
  statement.exchange(soci::into(row.quantity));
  statement.exchange(soci::use(pending));
  statement.exchange(soci::use(until));
  (statement.exchange(soci::use(uses)), ...);
  statement.alloc();
  statement.prepare(
      "SELECT tenant_id, order_id, offer_id, quantity FROM tribe_orders"
      " WHERE state = :pending AND reserved_until <= :now" +
      and_where + " ORDER BY tenant_id, order_id");
  statement.define_and_bind();
  statement.execute();
  std::vector<OrderRows::Overdue> rows;
  while (statement.fetch()) rows.push_back(row);
  return rows;
}

}  // namespace

OrderRows::OrderRows(soci::session& session, store::Backend backend)
    : session_(session), backend_(backend) {}

std::optional<Order> OrderRows::find(const std::string& tenant, const std::string& order_id) {
  return first(
      select_orders(session_, "WHERE tenant_id = :tenant AND order_id = :id", tenant, order_id));
}

std::optional<Order> OrderRows::lock(const std::string& tenant, const std::string& order_id) {
  if (backend_ != store::Backend::Postgresql) return find(tenant, order_id);
  return first(select_orders(session_, "WHERE tenant_id = :tenant AND order_id = :id FOR UPDATE",
                             tenant, order_id));
}

std::optional<Order> OrderRows::find_by_key(const std::string& tenant,
                                            const std::string& account_id,
                                            const std::string& idempotency_key) {
  return first(select_orders(
      session_, "WHERE tenant_id = :tenant AND account_id = :account AND idempotency_key = :key",
      tenant, account_id, idempotency_key));
}

std::vector<Order> OrderRows::of_account(const std::string& tenant, const std::string& account_id) {
  return select_orders(session_,
                       "WHERE tenant_id = :tenant AND account_id = :account"
                       " ORDER BY created_at DESC, order_id",
                       tenant, account_id);
}

std::vector<Order> OrderRows::unpaid_of_provider(const std::string& tenant,
                                                 const std::string& provider, int limit) {
  const std::string pending = to_string(OrderState::Pending);
  const std::string expired = to_string(OrderState::Expired);
  return select_orders(session_,
                       "WHERE tenant_id = :tenant AND provider = :provider"
                       " AND state IN (:pending, :expired)"
                       " ORDER BY created_at DESC, order_id LIMIT :limit",
                       tenant, provider, pending, expired, limit);
}

bool OrderRows::insert(const std::string& tenant, const Order& order) {
  const long long amount = order.amount.minor_units();
  const std::string state = to_string(order.state);
  const long long created_at = store::unix_seconds(order.created_at);
  const long long reserved_until = store::unix_seconds(order.reserved_until);
  soci::statement statement =
      (session_.prepare << "INSERT INTO tribe_orders (tenant_id, order_id, account_id, offer_id,"
                           " quantity, amount, currency, state, provider, referrer,"
                           " idempotency_key, created_at, reserved_until)"
                           " VALUES (:tenant, :id, :account, :offer, :quantity, :amount,"
                           " :currency, :state, :provider, :referrer, :key, :created_at,"
                           " :reserved_until) ON CONFLICT DO NOTHING",
       soci::use(tenant), soci::use(order.id), soci::use(order.account_id),
       soci::use(order.offer_id), soci::use(order.quantity), soci::use(amount),
       soci::use(order.amount.currency()), soci::use(state), soci::use(order.provider),
       soci::use(order.referrer), soci::use(order.idempotency_key), soci::use(created_at),
       soci::use(reserved_until));
  statement.execute(true);
  return statement.get_affected_rows() == 1;
}

bool OrderRows::move(const std::string& tenant, const std::string& order_id, OrderState from,
                     OrderState to, std::optional<std::chrono::system_clock::time_point> paid_at) {
  const std::string from_text = to_string(from);
  const std::string to_text = to_string(to);
  const long long paid = paid_at ? store::unix_seconds(*paid_at) : 0;
  soci::statement statement(session_);
  statement.exchange(soci::use(to_text));
  if (paid_at) statement.exchange(soci::use(paid));
  statement.exchange(soci::use(tenant));
  statement.exchange(soci::use(order_id));
  statement.exchange(soci::use(from_text));
  statement.alloc();
  statement.prepare(std::string("UPDATE tribe_orders SET state = :to") +
                    (paid_at ? ", paid_at = :paid_at" : "") +
                    " WHERE tenant_id = :tenant AND order_id = :id AND state = :from");
  statement.define_and_bind();
  statement.execute(true);
  return statement.get_affected_rows() == 1;
}

std::vector<OrderRows::Overdue> OrderRows::overdue(std::chrono::system_clock::time_point now) {
  return select_overdue(session_, now, "");
}

std::vector<OrderRows::Overdue> OrderRows::overdue(const std::string& tenant,
                                                   const std::string& offer_id,
                                                   std::chrono::system_clock::time_point now) {
  return select_overdue(session_, now, " AND tenant_id = :tenant AND offer_id = :offer", tenant,
                        offer_id);
}

}  // namespace tribe::kernel::money
