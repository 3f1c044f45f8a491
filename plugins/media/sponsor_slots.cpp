#include "sponsor_slots.hpp"

namespace tribe::media {

std::vector<SponsorSlot> slots_from(const sdk::Json& list) {
  std::vector<SponsorSlot> slots;
  if (!list.is_array()) return slots;
  for (const auto& item : list) {
    slots.push_back({item.value("id", ""), item.value("date", ""), item.value("offer", ""),
                     item.value("title", "")});
  }
  return slots;
}

std::string slot_state(const SponsorSlot& slot, const std::optional<Booking>& booking,
                       std::optional<std::int64_t> seats_left, const std::string& today) {
  if (booking && booking->paid) return "booked";
  if (seats_left && *seats_left <= 0) return "pending";
  if (slot.date < today) return "past";  // ISO dates compare as text
  return "open";
}

sdk::Json slot_listing(const std::vector<SponsorSlot>& slots,
                       const std::map<std::string, Booking>& bookings,
                       const std::map<std::string, std::int64_t>& seats, const std::string& today) {
  sdk::Json list = sdk::Json::array();
  for (const auto& slot : slots) {
    std::optional<Booking> booking;
    if (auto found = bookings.find(slot.id); found != bookings.end()) booking = found->second;
    std::optional<std::int64_t> left;
    if (auto found = seats.find(slot.offer); found != seats.end()) left = found->second;
    const std::string state = slot_state(slot, booking, left, today);
    sdk::Json item = {{"id", slot.id},
                      {"date", slot.date},
                      {"title", slot.title},
                      {"offer", slot.offer},
                      {"state", state},
                      {"open", state == "open"},
                      {"booked", state == "booked"}};
    if (state == "booked") {
      item["sponsored"] = true;
      item["sponsor"] = booking->sponsor;
      item["message"] = booking->message;
    }
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace tribe::media
