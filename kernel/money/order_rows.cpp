#include "kernel/money/order_rows.hpp"

#include "kernel/store/timestamp.hpp"

namespace tribe::kernel::money {
namespace {

constexpr const char* kSelectOrders =
    "SELECT order_id, account_id, offer_id, quantity, amount, currency, state, provider,"
    " referrer, idempotency_key, created_at, reserved_until, paid_at, coupon FROM tribe_orders ";

// The columns of kSelectOrders, in order: 't' text, 'i' integer.
constexpr std::string_view kOrderColumns = "tttiitttttiiii";

Order order_of(const store::SqlRow& row) {
  const std::string id = row.text(0);
  const std::string state = row.text(6);
  const auto known = order_state_from_string(state);
  if (!known) {
    throw MoneyError("order '" + id + "' has the unknown state '" + state +
                     "' in tribe_orders; only the money service may write that table, so "
                     "restore the row from a backup");
  }
  std::optional<std::chrono::system_clock::time_point> paid;
  if (auto paid_at = row.optional_integer(12)) paid = store::from_unix_seconds(*paid_at);
  return {id,
          row.text(1),
          row.text(2),
          static_cast<int>(row.integer(3)),
          Amount(row.integer(4), row.text(5)),
          *known,
          row.text(7),
          row.text(8),
          row.text(9),
          store::from_unix_seconds(row.integer(10)),
          store::from_unix_seconds(row.integer(11)),
          paid,
          row.integer(13)};
}

std::vector<Order> orders_of(const std::vector<store::SqlRow>& rows) {
  std::vector<Order> orders;
  orders.reserve(rows.size());
  for (const store::SqlRow& row : rows) orders.push_back(order_of(row));
  return orders;
}

std::optional<Order> first(std::vector<Order> orders) {
  if (orders.empty()) return std::nullopt;
  return std::move(orders.front());
}

std::vector<OrderRows::Overdue> overdue_of(const std::vector<store::SqlRow>& rows) {
  std::vector<OrderRows::Overdue> overdue;
  overdue.reserve(rows.size());
  for (const store::SqlRow& row : rows) {
    overdue.push_back({row.text(0), row.text(1), row.text(2), static_cast<int>(row.integer(3))});
  }
  return overdue;
}

constexpr const char* kSelectOverdue =
    "SELECT tenant_id, order_id, offer_id, quantity FROM tribe_orders"
    " WHERE state = :pending AND reserved_until <= :now";

}  // namespace

OrderRows::OrderRows(store::Database& database, soci::session& session)
    : sql_(database, session), backend_(database.backend()) {}

std::optional<Order> OrderRows::find(const std::string& tenant, const std::string& order_id) {
  return first(orders_of(
      sql_.rows(std::string(kSelectOrders) + "WHERE tenant_id = :tenant AND order_id = :id",
                kOrderColumns, {tenant, order_id})));
}

std::optional<Order> OrderRows::lock(const std::string& tenant, const std::string& order_id) {
  if (backend_ != store::Backend::Postgresql) return find(tenant, order_id);
  return first(orders_of(sql_.rows(
      std::string(kSelectOrders) + "WHERE tenant_id = :tenant AND order_id = :id FOR UPDATE",
      kOrderColumns, {tenant, order_id})));
}

std::optional<Order> OrderRows::find_by_key(const std::string& tenant,
                                            const std::string& account_id,
                                            const std::string& idempotency_key) {
  return first(orders_of(sql_.rows(
      std::string(kSelectOrders) +
          "WHERE tenant_id = :tenant AND account_id = :account AND idempotency_key = :key",
      kOrderColumns, {tenant, account_id, idempotency_key})));
}

std::vector<Order> OrderRows::of_account(const std::string& tenant, const std::string& account_id) {
  return orders_of(sql_.rows(std::string(kSelectOrders) +
                                 "WHERE tenant_id = :tenant AND account_id = :account"
                                 " ORDER BY created_at DESC, order_id",
                             kOrderColumns, {tenant, account_id}));
}

std::vector<Order> OrderRows::unpaid_of_provider(const std::string& tenant,
                                                 const std::string& provider, int limit) {
  return orders_of(sql_.rows(
      std::string(kSelectOrders) + "WHERE tenant_id = :tenant AND provider = :provider"
                                   " AND state IN (:pending, :expired)"
                                   " ORDER BY created_at DESC, order_id LIMIT :limit",
      kOrderColumns,
      {tenant, provider, to_string(OrderState::Pending), to_string(OrderState::Expired), limit}));
}

bool OrderRows::insert(const std::string& tenant, const Order& order) {
  return sql_.change(
             "INSERT INTO tribe_orders (tenant_id, order_id, account_id, offer_id,"
             " quantity, amount, currency, state, provider, referrer,"
             " idempotency_key, created_at, reserved_until, coupon)"
             " VALUES (:tenant, :id, :account, :offer, :quantity, :amount,"
             " :currency, :state, :provider, :referrer, :key, :created_at,"
             " :reserved_until, :coupon) ON CONFLICT DO NOTHING",
             {tenant, order.id, order.account_id, order.offer_id, order.quantity,
              order.amount.minor_units(), order.amount.currency(), to_string(order.state),
              order.provider, order.referrer, order.idempotency_key,
              store::unix_seconds(order.created_at), store::unix_seconds(order.reserved_until),
              order.coupon}) == 1;
}

bool OrderRows::coupon_unused(const std::string& tenant, const OrderRequest& request,
                              std::chrono::system_clock::time_point now) {
  return !sql_.row(
      "SELECT 1 FROM tribe_orders WHERE tenant_id = :tenant AND account_id = :account"
      " AND offer_id = :offer AND coupon > 0 AND (state IN (:paid, :fulfilled, :refunded)"
      " OR (state = :pending AND reserved_until > :now)) LIMIT 1",
      "i",
      {tenant, request.account_id, request.offer.offer_id, to_string(OrderState::Paid),
       to_string(OrderState::Fulfilled), to_string(OrderState::Refunded),
       to_string(OrderState::Pending), store::unix_seconds(now)});
}

bool OrderRows::move(const std::string& tenant, const std::string& order_id, OrderState from,
                     OrderState to, std::optional<std::chrono::system_clock::time_point> paid_at) {
  if (!paid_at) {
    return sql_.change(
               "UPDATE tribe_orders SET state = :to"
               " WHERE tenant_id = :tenant AND order_id = :id AND state = :from",
               {to_string(to), tenant, order_id, to_string(from)}) == 1;
  }
  return sql_.change(
             "UPDATE tribe_orders SET state = :to, paid_at = :paid_at"
             " WHERE tenant_id = :tenant AND order_id = :id AND state = :from",
             {to_string(to), store::unix_seconds(*paid_at), tenant, order_id, to_string(from)}) ==
         1;
}

std::vector<OrderRows::Overdue> OrderRows::overdue(std::chrono::system_clock::time_point now) {
  return overdue_of(sql_.rows(std::string(kSelectOverdue) + " ORDER BY tenant_id, order_id", "ttti",
                              {to_string(OrderState::Pending), store::unix_seconds(now)}));
}

std::vector<OrderRows::Overdue> OrderRows::overdue(const std::string& tenant,
                                                   const std::string& offer_id,
                                                   std::chrono::system_clock::time_point now) {
  return overdue_of(sql_.rows(
      std::string(kSelectOverdue) + " AND tenant_id = :tenant AND offer_id = :offer"
                                    " ORDER BY tenant_id, order_id",
      "ttti", {to_string(OrderState::Pending), store::unix_seconds(now), tenant, offer_id}));
}

}  // namespace tribe::kernel::money
