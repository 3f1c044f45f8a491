#pragma once
// The money service as a plugin sees it (Context::money()), bound to one site and the member
// asking: orders for the site's offers, what the member may use until when, and the deposits and
// pledges the site holds. Plugins never write money tables; every movement is the kernel's,
// exactly once and balanced in its ledger. docs/money.md has the model.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/sdk/abi.hpp"

namespace tribe::sdk {

// An order as its buyer may see it.
struct TRIBE_SDK_API OrderTicket {
  std::string id;
  std::string offer_id;
  std::string state;  // pending, paid, fulfilled, refunded, cancelled, expired
  std::int64_t amount = 0;
  std::string currency;
  std::string checkout_path;  // where the buyer pays, under the site's base: "/checkout/<id>"
  bool created = false;       // false: the order made before under the same key
};

// What the member may use under one entitlement key.
struct TRIBE_SDK_API Access {
  bool active = false;  // granted, and its term (plus grace days) has not ended
  std::optional<std::chrono::system_clock::time_point> ends_at;  // nullopt: no end, or no grant
};

// A deposit or a pledge the site holds for a member (an order of an offer with `holds`).
struct TRIBE_SDK_API HeldMoney {
  std::string order_id;
  std::string member_id;
  std::int64_t amount = 0;
  std::string currency;
  std::string state;   // held, returning, returned, forfeited, released
  std::string reason;  // why it was settled
};

class TRIBE_SDK_API Money {
 public:
  virtual ~Money() = default;

  // Orders `quantity` of the offer for the member asking; the same key with the same parameters
  // returns the order made before (a double-clicked button buys once). Throws HttpError: 401 for a
  // visitor, 404 for an offer the site does not sell, 409 when sold out or the key was used with
  // other parameters, 400 for a key that is not 1 to 200 characters.
  virtual OrderTicket order(std::string_view offer_id, std::string_view idempotency_key,
                            int quantity) = 0;

  // Seats or stock left of a capped offer; nullopt when it is unlimited.
  virtual std::optional<std::int64_t> seats_left(std::string_view offer_id) = 0;

  // The member's access under `key` (inactive for a visitor).
  virtual Access access(std::string_view key) = 0;

  // The deposits or pledges of the offer, oldest first.
  virtual std::vector<HeldMoney> holdings(std::string_view offer_id) = 0;

  // Gives a held deposit or pledge back to its payer: refunded through the order's provider.
  // A "returning" one (asked back before, the refund never arrived) is asked again; the refund
  // applies once. False when it is settled (nothing happens twice). HttpError 502 when the
  // provider does not refund; the holding then stays held.
  virtual bool give_back(std::string_view order_id, std::string_view reason) = 0;

  // A held deposit goes to the offer's `forfeit_to` account. False when it is not held;
  // HttpError 409 for a pledge in escrow (release or give it back instead).
  virtual bool forfeit(std::string_view order_id, std::string_view reason) = 0;

  // Every held pledge of the escrow offer is released: the site keeps the offer's fee, the rest
  // is owed to the project (ledger account payouts:<offer>). Returns how many were released.
  virtual std::size_t release(std::string_view offer_id, std::string_view reason) = 0;

  // Added in ABI 3.2. Points: the site's own currency that members earn by actions and purchases
  // and spend on rewards, kept in its ledger as whole points ("PTS"); a balance never goes below
  // zero. The member's points (0 for an id the site does not have).
  virtual std::int64_t points(std::string_view member_id) = 0;
  // Gives a member of the site `amount` points once per `key` (a retry with the same key gives
  // nothing and returns false). HttpError 400 for an amount outside 1..1,000,000,000 or a key that
  // is not 1 to 200 characters, 404 for a member the site does not have, 409 for a key used
  // before for another movement.
  virtual bool award_points(std::string_view member_id, std::int64_t amount, std::string_view key,
                            std::string_view reason) = 0;
  // Spends `amount` of the member's points once per `key`, like award_points; HttpError 409 when
  // they hold fewer (nothing is spent). Racing spends of one member never overdraw.
  virtual bool spend_points(std::string_view member_id, std::int64_t amount, std::string_view key,
                            std::string_view reason) = 0;
};

}  // namespace tribe::sdk
