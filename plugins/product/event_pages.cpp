// City club events (同城活动): the events page by city, and tickets sold as offers with a
// capacity, so an event never sells more tickets than it has.
#include <algorithm>
#include <cctype>
#include <map>

#include "pages.hpp"

namespace tribe::product {
namespace {

// `text` for a URL's query string: unreserved characters kept, every other byte %XX (UTF-8).
std::string query_escaped(const std::string& text) {
  std::string escaped;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      escaped.push_back(static_cast<char>(c));
    } else {
      escaped += '%';
      escaped += "0123456789ABCDEF"[c >> 4];
      escaped += "0123456789ABCDEF"[c & 0xF];
    }
  }
  return escaped;
}

}  // namespace

std::vector<ClubEvent> events_of(const sdk::Context& context) {
  return events_from(context.site().config().value("events", sdk::Json::array()));
}

sdk::Json event_groups(const sdk::Request& request, sdk::Context& context,
                       const std::string& city) {
  const auto events = events_of(context);
  std::map<std::string, std::int64_t> tickets;
  for (const auto& event : events) {
    // Defence only: the section check refuses a site whose event names no offer.
    if (!sdk::flows::find_offer(context, event.offer)) continue;
    if (auto left = context.money().seats_left(event.offer)) tickets[event.offer] = *left;
  }
  sdk::Json groups = events_by_city(events, tickets, today_text(context), city);
  for (auto& group : groups) {
    for (auto& item : group["events"]) {
      const sdk::Offer* offer = sdk::flows::find_offer(context, item["offer"].get<std::string>());
      item["price"] = offer ? sdk::display_price(*offer) : "";
      if (!offer) item["open"] = false;
      item["has_ticket"] =
          offer && context.member() && sdk::flows::SellOnce(offer->id).owned(context);
      item["url"] = request.base + "/events?city=" + query_escaped(item["city"]);
      item["idempotency_key"] = sdk::flows::fresh_idempotency_key();
    }
  }
  return groups;
}

namespace {

std::string city_of(const sdk::Request& request) {
  const auto city = request.query.find("city");
  return city == request.query.end() ? "" : city->second;
}

sdk::Json cities(const std::vector<ClubEvent>& events) {
  sdk::Json list = sdk::Json::array();
  for (const auto& event : events) {
    if (std::find(list.begin(), list.end(), event.city) == list.end()) list.push_back(event.city);
  }
  return list;
}

}  // namespace

sdk::Response events_page(const sdk::Request& request, sdk::Context& context) {
  const std::string city = city_of(request);
  sdk::Json groups = event_groups(request, context, city);
  sdk::Json links = sdk::Json::array();
  for (const auto& name : cities(events_of(context))) {
    links.push_back({{"city", name}, {"query", query_escaped(name)}, {"current", name == city}});
  }
  const bool has_events = !groups.empty();
  return sdk::Response::html(
      context.render_page("events", {{"groups", std::move(groups)},
                                     {"has_events", has_events},
                                     {"cities", std::move(links)},
                                     {"city", city},
                                     {"logged_in", context.member() != nullptr}}));
}

sdk::Response events_api(const sdk::Request& request, sdk::Context& context) {
  sdk::Json groups = event_groups(request, context, city_of(request));
  for (auto& group : groups) {
    for (auto& item : group["events"]) item.erase("idempotency_key");
  }
  return sdk::Response::json({{"site", context.site().id()},
                              {"cities", cities(events_of(context))},
                              {"groups", std::move(groups)}});
}

// Orders one ticket (409 from the kernel when none is left, 409 here once the event's day has
// passed) and sends the buyer to pay.
sdk::Response buy_ticket(const sdk::Request& request, sdk::Context& context) {
  const auto event = find_event(events_of(context), request.params.at("id"));
  if (!event || !sdk::flows::find_offer(context, event->offer)) {
    throw sdk::HttpError(404, context.text("product.event_not_found"));
  }
  if (!context.member()) {
    return sdk::Response::redirect(request.base + "/login?next=/events");
  }
  if (!on_sale(*event, today_text(context))) {
    throw sdk::HttpError(409, context.text("product.event_past"));
  }
  const sdk::OrderTicket ticket =
      context.money().order(event->offer, request.field("idempotency_key"), 1);
  return sdk::Response::redirect(request.base + ticket.checkout_path);
}

}  // namespace tribe::product
