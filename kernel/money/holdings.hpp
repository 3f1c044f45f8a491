#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kernel/money/ledger.hpp"
#include "kernel/money/money.hpp"
#include "kernel/money/orders.hpp"
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

// Money a site keeps for its member until a condition decides where it goes: a deposit (the
// learning camp's check-in challenge) or a pledge held in escrow (crowdfunding). Paid into the
// pot at fulfilment; then exactly one of
//   Held -> Returning -> Returned  (given back: refunded through the order's provider)
//   Held -> Forfeited              (a deposit lost: to the offer's forfeit account)
//   Held -> Released               (escrow released: to the payout account minus the site's fee)
struct Holding {
  enum class Kind { Deposit, Escrow };
  enum class State { Held, Returning, Returned, Forfeited, Released };

  std::string order_id;
  std::string offer_id;
  std::string account_id;
  Kind kind = Kind::Deposit;
  Amount amount;
  State state = State::Held;
  std::string reason;  // why it was settled, for the member and the admin
  bool operator==(const Holding&) const = default;
};

std::string to_string(Holding::Kind kind);    // "deposit", "escrow"
std::string to_string(Holding::State state);  // "held", "returning", ...
// "deposit" / "escrow" -> the kind; nullopt for anything else.
std::optional<Holding::Kind> holding_kind(const std::string& text);

// The pot of an offer's holdings: "deposits:<offer>" or "escrow:<offer>".
std::string pot_account(Holding::Kind kind, const std::string& offer_id);

// The holdings of each tenant (tribe_holdings) and their ledger transfers:
//   hold     "order:<id>:hold":     site:revenue +a, <pot> -a    (the payment moves into the pot)
//   unhold   "order:<id>:unhold":   <pot> +a, site:revenue -a    (its refund takes it back out)
//   forfeit  "order:<id>:forfeit":  <pot> +a, <forfeit_to> -a
//   release  "order:<id>:release":  <pot> +a, site:fees -fee, payouts:<offer> -(a - fee)
// Each move is a compare-and-set on the row's state in the same transaction as its transfer, so a
// holding settles once, whatever runs concurrently.
class HoldingBook {
 public:
  explicit HoldingBook(store::Database& database);

  // Inside the payment's transaction (PaymentBook::on_paid): the order's money into the pot.
  // Idempotent per order.
  void hold_in(soci::session& in_transaction, const std::string& tenant, const Order& order,
               Holding::Kind kind, std::chrono::system_clock::time_point now);

  // Before asking the provider for the refund: Held -> Returning, so that no forfeit or release
  // takes the money meanwhile. True also for a holding already Returning: its refund was asked
  // for before and never arrived (a crash, a gateway down), so asking again is right; the
  // provider's refund event id is the order's, so it applies once. False when the holding is
  // settled or unknown.
  bool start_return(const std::string& tenant, const std::string& order_id,
                    const std::string& reason, std::chrono::system_clock::time_point now);
  // Back to Held when the provider refused the refund, so the holding can be settled again.
  void cancel_return(const std::string& tenant, const std::string& order_id);

  // Inside the refund's transaction (PaymentBook::on_refunded): a Held or Returning holding is
  // Returned and its money leaves the pot. Nothing for an order without one or one settled
  // otherwise (an admin refunding a forfeited deposit pays it from revenue).
  void unhold_in(soci::session& in_transaction, const std::string& tenant,
                 const std::string& order_id, std::chrono::system_clock::time_point now);

  // A Held deposit is Forfeited to `to_account` (e.g. "site:revenue"). False when it is not Held.
  // Throws MoneyError for an escrow holding or a malformed account.
  bool forfeit(const std::string& tenant, const std::string& order_id,
               const std::string& to_account, const std::string& reason,
               std::chrono::system_clock::time_point now);

  // Every Held escrow holding of `offer_id` is Released: the site keeps floor(amount *
  // fee_basis_points / 10000), the rest is owed to the project (payouts:<offer>). Returns how
  // many it released.
  std::size_t release(const std::string& tenant, const std::string& offer_id, int fee_basis_points,
                      const std::string& reason, std::chrono::system_clock::time_point now);

  std::optional<Holding> find(const std::string& tenant, const std::string& order_id) const;
  // The offer's holdings, oldest first.
  std::vector<Holding> of_offer(const std::string& tenant, const std::string& offer_id) const;

 private:
  store::Database& database_;
  Ledger ledger_;
};

}  // namespace tribe::kernel::money
