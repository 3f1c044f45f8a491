#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/money/money.hpp"
#include "kernel/money/order_state.hpp"
#include "kernel/store/database.hpp"

namespace tribe::kernel::money {

// What an order needs of an offer (the site YAML holds the rest).
struct OfferTerms {
  std::string offer_id;
  Amount price;                          // of one unit
  std::optional<std::int64_t> capacity;  // nullopt: unlimited
};

struct Order {
  std::string id;  // 32 hex digits: 128 random bits
  std::string account_id;
  std::string offer_id;
  int quantity;
  Amount amount;  // price x quantity
  OrderState state;
  std::string provider;
  std::string referrer;  // partner account id, or empty
  std::string idempotency_key;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point reserved_until;  // the capacity is held until then
  std::optional<std::chrono::system_clock::time_point> paid_at;
  // Minor units a referral coupon took off price x quantity: what the site gave away to win a
  // referred member, posted as its own ledger entry (amount is what the buyer pays).
  std::int64_t coupon = 0;
};

struct OrderRequest {
  std::string idempotency_key;  // chosen by the client, unique per tenant and account
  std::string account_id;
  OfferTerms offer;
  int quantity = 1;
  std::string provider;  // "sandbox" | "manual" | ...: lower-case letters, digits, '_', '-'
  std::string referrer;  // partner account id or empty
  // The buyer's referral coupon for this offer (minor units off the order), used only if no
  // other order of the offer by the buyer used it: paid, fulfilled or refunded, or pending and
  // still reserved. 0: none.
  std::int64_t coupon = 0;
};

// The idempotency key was used before with other parameters (HTTP 409 at the edge); the message
// names what differs and says to use a new key.
class OrderConflict : public MoneyError {
 public:
  using MoneyError::MoneyError;
};

// Not enough of the offer's capacity is left for the order.
class SoldOut : public MoneyError {
 public:
  SoldOut(const std::string& message, std::int64_t left) : MoneyError(message), left_(left) {}
  std::int64_t left() const { return left_; }  // 0: sold out

 private:
  std::int64_t left_;
};

// Orders and the capacity they reserve, per tenant. Capacity never oversells: an order takes its
// quantity in one conditional UPDATE of the offer's stock row, and gives it back when it is
// cancelled, expires or is refunded.
class OrderBook {
 public:
  explicit OrderBook(store::Database& database,
                     std::chrono::seconds reservation = std::chrono::minutes(15));

  // Creates the money tables (money_migrations.hpp; the same as Ledger::migrate) if missing;
  // returns how many migrations it applied.
  int migrate();

  // Keeps the offer's stock row in step with the site YAML: the capacity changes (nullopt:
  // unlimited), what is taken stays, even above a lowered capacity.
  void set_capacity(const std::string& tenant, const std::string& offer_id,
                    std::optional<std::int64_t> capacity);

  struct Created {
    Order order;
    bool created;  // false: the order made first under this idempotency key
  };
  // Reserves request.quantity of the offer until now + reservation and creates a Pending order;
  // first releases this offer's reservations that ended. An offer without a stock row gets one
  // with request.offer.capacity; after that set_capacity is what changes it. The same key (per
  // tenant and account) with the same offer, quantity, price, provider and referrer returns the
  // order made first; with other parameters it throws OrderConflict. A request's coupon is taken
  // off when still unused (the check and the insert are one transaction, after the offer's stock
  // row was taken, so racing orders use it once). Throws SoldOut when not enough is left,
  // MoneyError for a request it refuses.
  Created create(const std::string& tenant, const OrderRequest& request,
                 std::chrono::system_clock::time_point now);

  std::optional<Order> find(const std::string& tenant, const std::string& order_id) const;
  // Seats or stock left of the offer; nullopt when unlimited (or no order made its stock row yet
  // and the site set no capacity).
  std::optional<std::int64_t> left(const std::string& tenant, const std::string& offer_id) const;
  // Orders of `provider` not paid yet (pending or expired), newest first: the bank transfers a
  // site admin may still confirm.
  std::vector<Order> unpaid_of_provider(const std::string& tenant, const std::string& provider,
                                        int limit = 200) const;
  // Newest first (orders made in the same second: by id).
  std::vector<Order> orders_of(const std::string& tenant, const std::string& account_id) const;

  // Every tenant's Pending orders whose reservation ended (reserved_until <= now) become Expired
  // and give their capacity back. Returns how many; the scheduler calls it.
  std::size_t expire_reservations(std::chrono::system_clock::time_point now);

  // Proves each offer's taken count equals the quantities of the orders holding capacity
  // (pending until marked expired, paid, fulfilled). Returns the problems; empty: consistent.
  std::vector<std::string> check_stock(const std::string& tenant) const;

 private:
  store::Database& database_;
  std::chrono::seconds reservation_;
};

}  // namespace tribe::kernel::money
