#pragma once
// City club events (同城活动): each a dated event in one city whose tickets are an offer of kind
// ticket with a capacity, so they never oversell. Listed by city; an event whose day has passed is
// no longer sold. Plain functions, so the listing is tested without a server.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::product {

struct ClubEvent {
  std::string id;
  std::string city;
  std::string date;  // YYYY-MM-DD
  std::string offer;
  std::string title;
  std::string venue;
  std::string description;
};

// The events of the YAML's `events` list, in order.
std::vector<ClubEvent> events_from(const sdk::Json& list);
std::optional<ClubEvent> find_event(const std::vector<ClubEvent>& events, const std::string& id);

// Tickets are sold up to and including the event's day.
bool on_sale(const ClubEvent& event, const std::string& today);

// The events grouped by city, cities in the order they first appear, events by date:
// [{"city", "events": [{id, city, date, title, venue, description, offer, tickets_left,
// limited, sold_out, past, open}]}]. `tickets` maps offer id to tickets left (absent: unlimited);
// `city` keeps one city only ("" all).
sdk::Json events_by_city(const std::vector<ClubEvent>& events,
                         const std::map<std::string, std::int64_t>& tickets,
                         const std::string& today, const std::string& city = "");

}  // namespace tribe::product
