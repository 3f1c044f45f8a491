#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kernel/money/orders.hpp"
#include "kernel/store/database.hpp"
#include "kernel/store/sql.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

// The rows of tribe_orders, read and changed on a caller's session (and transaction); shared by
// OrderBook and PaymentBook. Lock order, to keep PostgreSQL free of deadlocks: order rows first
// (several in ascending id), the offer's stock row last.
class OrderRows {
 public:
  OrderRows(store::Database& database, soci::session& session);

  std::optional<Order> find(const std::string& tenant, const std::string& order_id);
  // find(), holding the row until the transaction ends: SELECT ... FOR UPDATE on PostgreSQL (on
  // SQLite the write transaction already holds the whole database).
  std::optional<Order> lock(const std::string& tenant, const std::string& order_id);
  std::optional<Order> find_by_key(const std::string& tenant, const std::string& account_id,
                                   const std::string& idempotency_key);
  std::vector<Order> of_account(const std::string& tenant, const std::string& account_id);
  // Orders of `provider` not paid yet (pending, or expired while the money was on its way),
  // newest first, at most `limit`.
  std::vector<Order> unpaid_of_provider(const std::string& tenant, const std::string& provider,
                                        int limit);

  // Inserts `order`; false, with nothing written, when its idempotency key or id is taken
  // (also by a concurrent insert, which PostgreSQL waits for).
  bool insert(const std::string& tenant, const Order& order);

  // Whether the request's buyer has not used their coupon for its offer: no order of it with a
  // coupon is paid, fulfilled, refunded, or pending and still reserved at `now`. Call it after
  // taking the offer's stock row (OfferStock::take), which makes racing orders of the offer
  // check one after the other on PostgreSQL (SQLite's write transaction already runs alone).
  bool coupon_unused(const std::string& tenant, const OrderRequest& request,
                     std::chrono::system_clock::time_point now);

  // Moves the order from `from` to `to` if it is still in `from` (compare and set); whether it
  // did. `paid_at`, when given, is stored too.
  bool move(const std::string& tenant, const std::string& order_id, OrderState from, OrderState to,
            std::optional<std::chrono::system_clock::time_point> paid_at = std::nullopt);

  struct Overdue {
    std::string tenant;
    std::string order_id;
    std::string offer_id;
    int quantity;
  };
  // Pending orders whose reservation ended (reserved_until <= now), by tenant and id.
  std::vector<Overdue> overdue(std::chrono::system_clock::time_point now);
  std::vector<Overdue> overdue(const std::string& tenant, const std::string& offer_id,
                               std::chrono::system_clock::time_point now);

 private:
  store::Sql sql_;
  store::Backend backend_;
};

}  // namespace tribe::kernel::money
