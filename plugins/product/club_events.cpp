#include "club_events.hpp"

#include <algorithm>

namespace tribe::product {

std::vector<ClubEvent> events_from(const sdk::Json& list) {
  std::vector<ClubEvent> events;
  if (!list.is_array()) return events;
  for (const auto& item : list) {
    events.push_back({item.value("id", ""), item.value("city", ""), item.value("date", ""),
                      item.value("offer", ""), item.value("title", ""), item.value("venue", ""),
                      item.value("description", "")});
  }
  return events;
}

std::optional<ClubEvent> find_event(const std::vector<ClubEvent>& events, const std::string& id) {
  for (const auto& event : events) {
    if (event.id == id) return event;
  }
  return std::nullopt;
}

bool on_sale(const ClubEvent& event, const std::string& today) {
  return event.date >= today;
}

sdk::Json events_by_city(const std::vector<ClubEvent>& events,
                         const std::map<std::string, std::int64_t>& tickets,
                         const std::string& today, const std::string& city) {
  std::vector<std::string> cities;
  for (const auto& event : events) {
    if (!city.empty() && event.city != city) continue;
    if (std::find(cities.begin(), cities.end(), event.city) == cities.end()) {
      cities.push_back(event.city);
    }
  }
  sdk::Json groups = sdk::Json::array();
  for (const auto& name : cities) {
    std::vector<ClubEvent> in_city;
    for (const auto& event : events) {
      if (event.city == name) in_city.push_back(event);
    }
    std::stable_sort(in_city.begin(), in_city.end(),
                     [](const ClubEvent& a, const ClubEvent& b) { return a.date < b.date; });
    sdk::Json list = sdk::Json::array();
    for (const auto& event : in_city) {
      const auto left = tickets.find(event.offer);
      const bool sold_out = left != tickets.end() && left->second <= 0;
      const bool past = !on_sale(event, today);
      list.push_back(
          {{"id", event.id},
           {"city", event.city},
           {"date", event.date},
           {"title", event.title},
           {"venue", event.venue},
           {"description", event.description},
           {"offer", event.offer},
           {"tickets_left", left == tickets.end() ? sdk::Json() : sdk::Json(left->second)},
           {"limited", left != tickets.end()},
           {"sold_out", sold_out},
           {"past", past},
           {"open", !past && !sold_out}});
    }
    groups.push_back({{"city", name}, {"events", std::move(list)}});
  }
  return groups;
}

}  // namespace tribe::product
