#pragma once
// Sponsorship slots: each a dated slot sold by its own capacity-1 offer (the flow kit's SellOnce),
// so a slot never sells twice. A paid booking's sponsor and message appear on the channel, always
// labelled as sponsored. Plain functions, so the listing is tested without a server.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::media {

struct SponsorSlot {
  std::string id;
  std::string date;  // YYYY-MM-DD: the day the sponsored message runs
  std::string offer;
  std::string title;
};

// A booking a sponsor made when ordering a slot; `paid` once its order was paid.
struct Booking {
  std::string sponsor;
  std::string message;
  bool paid = false;
};

// The slots of the YAML's `sponsor_slots` list, in order.
std::vector<SponsorSlot> slots_from(const sdk::Json& list);

// How a slot stands: "booked" (a paid booking), "pending" (its one seat is held by an unpaid
// order), "past" (its day is before `today` and nobody booked it) or "open".
std::string slot_state(const SponsorSlot& slot, const std::optional<Booking>& booking,
                       std::optional<std::int64_t> seats_left, const std::string& today);

// The slots as the channel lists them, each with its state; a booked slot carries its sponsor and
// message and `sponsored: true` (the label). `seats` maps offer id to seats left (absent:
// unlimited), `bookings` slot id to its paid booking.
sdk::Json slot_listing(const std::vector<SponsorSlot>& slots,
                       const std::map<std::string, Booking>& bookings,
                       const std::map<std::string, std::int64_t>& seats, const std::string& today);

}  // namespace tribe::media
