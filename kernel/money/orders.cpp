#include "kernel/money/orders.hpp"

#include <soci/soci.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>

#include "kernel/identity/sodium_library.hpp"
#include "kernel/money/money_migrations.hpp"
#include "kernel/money/offer_stock.hpp"
#include "kernel/money/order_rows.hpp"
#include "kernel/store/group_commit.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

constexpr const char* kOrders = "tribe_orders";
constexpr std::size_t kMaxNameLength = 200;

std::string in_quotes(const std::string& text) {
  return "'" + text + "'";
}

std::string shown(const Amount& amount) {
  return std::to_string(amount.minor_units()) + " " + amount.currency();
}

void require_name(const std::string& what, const std::string& value, const std::string& example) {
  if (value.empty() || value.size() > kMaxNameLength) {
    throw MoneyError("an order needs " + what + " of 1 to " + std::to_string(kMaxNameLength) +
                     " characters, e.g. " + example);
  }
}

void validate_capacity(const std::string& offer_id, std::optional<std::int64_t> capacity) {
  if (capacity && *capacity < 0) {
    throw MoneyError("offer " + in_quotes(offer_id) + " has the capacity " +
                     std::to_string(*capacity) + "; use 0 or more, or none for unlimited");
  }
}

// Validates the request and returns what the order costs: price x quantity.
Amount order_amount(const std::string& tenant, const OrderRequest& request) {
  require_name("a tenant", tenant, "'acme'");
  require_name("an idempotency key", request.idempotency_key, "a UUID the client made");
  require_name("an account id", request.account_id, "'42'");
  require_name("an offer id", request.offer.offer_id, "'gala-ticket'");
  validate_capacity(request.offer.offer_id, request.offer.capacity);
  const std::string offer = "offer " + in_quotes(request.offer.offer_id);
  if (request.quantity < 1) {
    throw MoneyError("an order of " + offer + " has the quantity " +
                     std::to_string(request.quantity) + "; order 1 or more");
  }
  if (request.offer.price.minor_units() <= 0) {
    throw MoneyError(offer + " costs " + shown(request.offer.price) +
                     "; an order needs a positive price (grant free offers without one)");
  }
  if (!is_provider_name(request.provider)) {
    throw MoneyError("payment provider " + in_quotes(request.provider) + " for " + offer +
                     " is not a provider name; use lower-case letters, digits, '_' or '-', e.g. "
                     "'sandbox'");
  }
  std::int64_t total = 0;
  if (__builtin_mul_overflow(request.offer.price.minor_units(),
                             static_cast<std::int64_t>(request.quantity), &total)) {
    throw MoneyError(std::to_string(request.quantity) + " x " + shown(request.offer.price) +
                     " for " + offer + " overflows 64 bits; order fewer");
  }
  if (request.coupon < 0 || request.coupon >= total) {
    throw MoneyError("a referral coupon of " + std::to_string(request.coupon) + " on " + offer +
                     " costing " + std::to_string(total) +
                     " must take off 0 or more and leave something to pay");
  }
  return Amount(total, request.offer.price.currency());
}

// 32 hex digits: the creation time in milliseconds (12 digits), so a new order's id sorts after
// the last one's and every index keyed by it (orders, transfers, events) adds to the same last
// page instead of a random one, then 80 random bits, so an id cannot be guessed from another.
std::string new_order_id(std::chrono::system_clock::time_point now) {
  identity::require_sodium();
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  std::array<unsigned char, 16> bytes{};
  auto time = static_cast<std::uint64_t>(std::max<std::int64_t>(millis.count(), 0));
  for (int i = 5; i >= 0; --i, time >>= 8)
    bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(time & 0xff);
  randombytes_buf(bytes.data() + 6, bytes.size() - 6);
  std::array<char, 2 * 16 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  return hex.data();
}

// What `request` asks differently from `order`, made earlier under the same key.
std::vector<std::string> differences(const Order& order, const OrderRequest& request,
                                     const Amount& amount) {
  std::vector<std::string> found;
  auto differ = [&](const std::string& what, const std::string& then, const std::string& now) {
    if (then != now) found.push_back(what + " " + then + " (this request: " + now + ")");
  };
  differ("offer", in_quotes(order.offer_id), in_quotes(request.offer.offer_id));
  differ("quantity", std::to_string(order.quantity), std::to_string(request.quantity));
  // The coupon depends on the orders made meanwhile, so the price is compared before it.
  const Amount before_coupon(order.amount.minor_units() + order.coupon, order.amount.currency());
  if (order.quantity == request.quantity && !(before_coupon == amount)) {
    const Amount price(before_coupon.minor_units() / order.quantity, order.amount.currency());
    differ("price", shown(price), shown(request.offer.price));
  }
  differ("provider", in_quotes(order.provider), in_quotes(request.provider));
  differ("referrer", in_quotes(order.referrer), in_quotes(request.referrer));
  return found;
}

OrderBook::Created same_order(Order order, const std::string& tenant, const OrderRequest& request,
                              const Amount& amount) {
  const auto found = differences(order, request, amount);
  if (found.empty()) return {std::move(order), false};
  std::string list;
  for (const auto& difference : found) list += (list.empty() ? "" : ", ") + difference;
  throw OrderConflict("idempotency key " + in_quotes(request.idempotency_key) + " of account " +
                      in_quotes(request.account_id) + " in tenant " + in_quotes(tenant) +
                      " was used for order " + in_quotes(order.id) + " with " + list +
                      "; a key names one order, so send a new idempotency key for a new order");
}

SoldOut sold_out(const std::string& tenant, const OrderRequest& request, std::int64_t left) {
  const std::string offer =
      "offer " + in_quotes(request.offer.offer_id) + " of tenant " + in_quotes(tenant);
  if (left == 0) return SoldOut(offer + " is sold out", 0);
  return SoldOut(offer + " has only " + std::to_string(left) + " left, not the " +
                     std::to_string(request.quantity) + " ordered; order at most " +
                     std::to_string(left),
                 left);
}

// Marks this offer's ended reservations Expired and gives their capacity back. Order rows first,
// in id order, then the stock row: the lock order every money transaction keeps.
void release_overdue(OrderRows& rows, OfferStock& stock, const std::string& tenant,
                     const std::string& offer_id, std::chrono::system_clock::time_point now) {
  std::int64_t released = 0;
  for (const auto& overdue : rows.overdue(tenant, offer_id, now)) {
    if (rows.move(tenant, overdue.order_id, OrderState::Pending, OrderState::Expired)) {
      released += overdue.quantity;
    }
  }
  if (released > 0) stock.give_back(tenant, offer_id, released);
}

}  // namespace

OrderBook::OrderBook(store::Database& database, std::chrono::seconds reservation)
    : database_(database), reservation_(reservation) {}

int OrderBook::migrate() {
  return database_.migrate("kernel.money", money_migrations());
}

void OrderBook::set_capacity(const std::string& tenant, const std::string& offer_id,
                             std::optional<std::int64_t> capacity) {
  require_name("a tenant", tenant, "'acme'");
  require_name("an offer id", offer_id, "'gala-ticket'");
  validate_capacity(offer_id, capacity);
  soci::session session(database_.pool());
  try {
    OfferStock(database_, session).set_capacity(tenant, offer_id, capacity);
  } catch (...) {
    store::rethrow_as_store_error("tribe_offer_stock");
  }
}

OrderBook::Created OrderBook::create(const std::string& tenant, const OrderRequest& request,
                                     std::chrono::system_clock::time_point now) {
  const Amount amount = order_amount(tenant, request);
  std::optional<Created> created;
  std::optional<std::int64_t> sold_out_left;
  try {
    // Committed together with the other orders and webhooks arriving meanwhile (SQLite).
    database_.group_commit().run([&](soci::session& session) {
      OrderRows rows(database_, session);
      if (auto made = rows.find_by_key(tenant, request.account_id, request.idempotency_key)) {
        created = same_order(std::move(*made), tenant, request, amount);
        return true;
      }
      OfferStock stock(database_, session);
      const std::string& offer_id = request.offer.offer_id;
      // The usual case is one UPDATE; only when it takes nothing (the offer's first order, or
      // too little left) are the stock row made and the ended reservations released first.
      bool taken = stock.take(tenant, offer_id, request.quantity);
      if (!taken) {
        stock.add_if_missing(tenant, offer_id, request.offer.capacity);
        release_overdue(rows, stock, tenant, offer_id, now);
        taken = stock.take(tenant, offer_id, request.quantity);
      }
      if (!taken) {
        sold_out_left = stock.left(tenant, offer_id).value_or(0);
        return true;  // keeps the reservations released above
      }
      // After the stock row's UPDATE: orders of one offer queue on that row until commit, so this
      // check sees every order of the offer committed before it (the race test proves it).
      const std::int64_t coupon =
          request.coupon > 0 && rows.coupon_unused(tenant, request, now) ? request.coupon : 0;
      Order order{new_order_id(now),
                  request.account_id,
                  offer_id,
                  request.quantity,
                  Amount(amount.minor_units() - coupon, amount.currency()),
                  OrderState::Pending,
                  request.provider,
                  request.referrer,
                  request.idempotency_key,
                  now,
                  now + reservation_,
                  std::nullopt,
                  coupon};
      if (!rows.insert(tenant, order)) return false;  // undone, capacity included
      created = Created{std::move(order), true};
      return true;
    });
    if (sold_out_left) throw sold_out(tenant, request, *sold_out_left);
    if (created) return std::move(*created);
    // A concurrent create committed this key first.
    soci::session session(database_.pool());
    if (auto made = OrderRows(database_, session)
                        .find_by_key(tenant, request.account_id, request.idempotency_key)) {
      return same_order(std::move(*made), tenant, request, amount);
    }
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kOrders);
  }
  throw MoneyError("the order with idempotency key " + in_quotes(request.idempotency_key) +
                   " collided with another order id; send the request again");
}

std::optional<Order> OrderBook::find(const std::string& tenant, const std::string& order_id) const {
  soci::session session(database_.pool());
  return OrderRows(database_, session).find(tenant, order_id);
}

std::optional<std::int64_t> OrderBook::left(const std::string& tenant,
                                            const std::string& offer_id) const {
  soci::session session(database_.pool());
  return OfferStock(database_, session).left(tenant, offer_id);
}

std::vector<Order> OrderBook::unpaid_of_provider(const std::string& tenant,
                                                 const std::string& provider, int limit) const {
  soci::session session(database_.pool());
  return OrderRows(database_, session).unpaid_of_provider(tenant, provider, limit);
}

std::vector<Order> OrderBook::orders_of(const std::string& tenant,
                                        const std::string& account_id) const {
  soci::session session(database_.pool());
  return OrderRows(database_, session).of_account(tenant, account_id);
}

std::size_t OrderBook::expire_reservations(std::chrono::system_clock::time_point now) {
  soci::session session(database_.pool());
  OrderRows rows(database_, session);
  OfferStock stock(database_, session);
  std::size_t expired = 0;
  // One short transaction per order, so a payment arriving meanwhile waits for little.
  for (const auto& overdue : rows.overdue(now)) {
    store::WriteTransaction transaction(database_, session);
    if (rows.move(overdue.tenant, overdue.order_id, OrderState::Pending, OrderState::Expired)) {
      stock.give_back(overdue.tenant, overdue.offer_id, overdue.quantity);
      ++expired;
    }
    transaction.commit();
  }
  return expired;
}

std::vector<std::string> OrderBook::check_stock(const std::string& tenant) const {
  std::vector<std::string> problems;
  soci::session session(database_.pool());
  const std::string paid = to_string(OrderState::Paid);
  const std::string pending = to_string(OrderState::Pending);
  const std::string fulfilled = to_string(OrderState::Fulfilled);
  std::string offer_id;
  long long taken = 0;
  long long held = 0;
  soci::statement stock_rows =
      (session.prepare << "SELECT s.offer_id, s.taken, CAST(COALESCE(SUM(o.quantity), 0) AS BIGINT)"
                          " FROM tribe_offer_stock s LEFT JOIN tribe_orders o"
                          " ON o.tenant_id = s.tenant_id AND o.offer_id = s.offer_id"
                          " AND o.state IN (:pending, :paid, :fulfilled)"
                          " WHERE s.tenant_id = :tenant GROUP BY s.offer_id, s.taken"
                          " HAVING s.taken <> COALESCE(SUM(o.quantity), 0) ORDER BY s.offer_id",
       soci::into(offer_id), soci::into(taken), soci::into(held), soci::use(pending),
       soci::use(paid), soci::use(fulfilled), soci::use(tenant));
  stock_rows.execute();
  while (stock_rows.fetch()) {
    problems.push_back("offer " + in_quotes(offer_id) + " of tenant " + in_quotes(tenant) +
                       ": taken is " + std::to_string(taken) + " but its pending, paid and " +
                       "fulfilled orders hold " + std::to_string(held));
  }
  soci::statement orphans =
      (session.prepare
           << "SELECT DISTINCT o.offer_id FROM tribe_orders o"
              " WHERE o.tenant_id = :tenant AND o.state IN (:pending, :paid, :fulfilled)"
              " AND NOT EXISTS (SELECT 1 FROM tribe_offer_stock s"
              " WHERE s.tenant_id = o.tenant_id AND s.offer_id = o.offer_id)"
              " ORDER BY o.offer_id",
       soci::into(offer_id), soci::use(tenant), soci::use(pending), soci::use(paid),
       soci::use(fulfilled));
  orphans.execute();
  while (orphans.fetch()) {
    problems.push_back("offer " + in_quotes(offer_id) + " of tenant " + in_quotes(tenant) +
                       " has orders holding capacity but no stock row");
  }
  return problems;
}

}  // namespace tribe::kernel::money
