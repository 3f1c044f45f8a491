// The startup plugin: a founders' club (创业型社群). An entry fee after an approved application,
// roadshow and competition tickets, all-or-nothing crowdfunding in escrow, investor–project
// matching with an intro fee charged only on mutual acceptance, sponsor slots and training fees.
#include <chrono>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

#include "applications.hpp"
#include "club_rules.hpp"
#include "crowdfunding.hpp"
#include "matching.hpp"
#include "section_check.hpp"

namespace tribe::startup {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto event = Schema::object({
      required("id", Schema::string(), "URL name of the event, e.g. roadshow-2027-03"),
      required("title", Schema::string()),
      required("offer", Schema::string(), "the ticket offer: its capacity is the seats"),
      optional("kind", Schema::string().one_of({"roadshow", "competition"}),
               "roadshow (default) or competition"),
      optional("date", Schema::string(), "the day it takes place, e.g. 2027-03-20 (shown)"),
      optional("description", Schema::string()),
  });
  auto project = Schema::object({
      required("id", Schema::string(), "URL name of the project, e.g. smart-farm"),
      required("title", Schema::string()),
      required("offer", Schema::string(),
               "the pledge offer (holds: escrow; fee: the site's cut on release)"),
      required("goal", Schema::integer(), "minor units of the offer's currency to reach"),
      required("deadline", Schema::string(),
               "YYYY-MM-DD: pledges are taken to the end of that day (UTC), then settled"),
      optional("founder", Schema::string()),
      optional("description", Schema::string()),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("entry_offer", Schema::string(),
               "the entry fee /join sells to approved applicants (default: membership)"),
      optional("intro_offer", Schema::string(),
               "the intro fee of a mutually accepted match (default: intro-fee)"),
      optional("events", Schema::list_of(event), "roadshows and competitions with tickets"),
      optional("projects", Schema::list_of(project), "all-or-nothing crowdfunding projects"),
      optional("training", Schema::list_of(Schema::string()), "offer ids of training courses"),
      optional("sponsors", Schema::list_of(Schema::string()), "offer ids of sponsor slots"),
  });
}

struct Event {
  std::string id;
  std::string title;
  std::string offer;
  std::string kind;
  std::string date;
  std::string description;
};

std::vector<Event> events_of(const sdk::Context& context) {
  std::vector<Event> events;
  for (const auto& item : context.site().config().value("events", sdk::Json::array())) {
    events.push_back({item.at("id").get<std::string>(), item.at("title").get<std::string>(),
                      item.at("offer").get<std::string>(), item.value("kind", "roadshow"),
                      item.value("date", ""), item.value("description", "")});
  }
  return events;
}

std::vector<std::string> offer_list(const sdk::Context& context, const char* key) {
  std::vector<std::string> ids;
  for (const auto& id : context.site().config().value(key, sdk::Json::array())) {
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

sdk::Json event_listing(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& event : events_of(context)) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, event.offer);
    if (!offer) continue;  // refused by the section check: defence only
    const sdk::flows::SeatReservation flow(offer->id);
    const auto left = flow.seats_left(context);
    list.push_back({{"id", event.id},
                    {"title", event.title},
                    {"kind", event.kind},
                    {"competition", event.kind == "competition"},
                    {"date", event.date},
                    {"description", event.description},
                    {"price", sdk::display_price(*offer)},
                    {"limited", left.has_value()},
                    {"seats_left", left.value_or(0)},
                    {"sold_out", left && *left <= 0},
                    {"has_ticket", context.member() && !offer->grants.empty() &&
                                       context.entitled(offer->grants.front())},
                    {"buy", request.base + "/events/" + event.id + "/buy"},
                    {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  return list;
}

// Training courses (a term makes buying again a renewal) and sponsor slots (capacity 1 each).
sdk::Json offer_listing(const sdk::Request& request, sdk::Context& context, const char* key) {
  sdk::Json list = sdk::Json::array();
  for (const auto& id : offer_list(context, key)) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, id);
    if (!offer) continue;  // refused by the section check: defence only
    const auto left = context.money().seats_left(id);
    const sdk::Access access = sdk::flows::Subscription(id).status(context);
    list.push_back({{"id", id},
                    {"title", offer->title},
                    {"description", offer->description},
                    {"price", sdk::display_price(*offer)},
                    {"term", offer->term.value_or("")},
                    {"active", context.member() && access.active},
                    {"until", access.ends_at ? date_text(*access.ends_at) : ""},
                    {"sold_out", left && *left <= 0},
                    {"buy", request.base + "/buy/" + id},
                    {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  return list;
}

sdk::Json club_data(const sdk::Request& request, sdk::Context& context) {
  sdk::Json data = {{"tagline", context.site().config().value("tagline", "")},
                    {"events", event_listing(request, context)},
                    {"projects", project_listing(request, context)},
                    {"training", offer_listing(request, context, "training")},
                    {"sponsors", offer_listing(request, context, "sponsors")},
                    {"logged_in", context.member() != nullptr}};
  for (const char* key : {"events", "projects", "training", "sponsors"}) {
    data[std::string("has_") + key] = !data[key].empty();
  }
  if (context.member()) {
    data["application"] = application_state(context, context.member()->id);
  }
  return data;
}

sdk::Response home(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::html(context.render_page("home", club_data(request, context)));
}

sdk::Response club_api(const sdk::Request& request, sdk::Context& context) {
  sdk::Json data = club_data(request, context);
  for (const char* key : {"events", "training", "sponsors"}) {
    for (auto& item : data[key]) item.erase("idempotency_key");
  }
  return sdk::Response::json(data);
}

// A ticket: seats are reserved by the unpaid order and never oversold (the flow kit's
// SeatReservation).
sdk::Response buy_ticket(const sdk::Request& request, sdk::Context& context) {
  for (const auto& event : events_of(context)) {
    if (event.id == request.params.at("id") && sdk::flows::find_offer(context, event.offer)) {
      return sdk::flows::SeatReservation(event.offer).reserve()(request, context);
    }
  }
  throw sdk::HttpError(404, context.text("startup.event_not_found"));
}

// A training course (renewed by buying again before its term ends) or a sponsor slot.
sdk::Response buy_offer(const sdk::Request& request, sdk::Context& context) {
  const std::string& id = request.params.at("offer");
  for (const char* key : {"training", "sponsors"}) {
    for (const auto& listed : offer_list(context, key)) {
      if (listed == id && sdk::flows::find_offer(context, id)) {
        return sdk::flows::Subscription(id).subscribe()(request, context);
      }
    }
  }
  throw sdk::HttpError(404, context.text("startup.offer_not_found"));
}

// Advice rather than a mistake: an event's ticket offer without a capacity sells unlimited seats.
// Logged when the site starts (what would be a mistake is the section check's, section_check.cpp).
void advise_on_seats(sdk::Context& context) {
  for (const auto& event : events_of(context)) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, event.offer);
    if (offer && !offer->capacity) {
      context.log().warn(
          "startup.events: the offer '" + offer->id + "' of event '" + event.id +
          "' has no capacity, so its seats are unlimited; give it capacity: <seats>");
    }
  }
}

class StartupPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"startup",
         "founders, investors and resources: applications, roadshows, crowdfunding, "
         "investor matching, sponsors and training"});
    registry.set_config_schema(section_schema());
    // What the schema cannot see (an offer the site does not sell, a pledge offer not in escrow, a
    // deadline that is not a day): file:line:col errors, so such a site is not served.
    registry.set_section_check(section_problems);
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    registry.on_site_start(advise_on_seats);
    registry.on_event("order.paid", on_intro_paid);
    // Crowdfunding projects whose deadline passed are settled within the hour (also when the
    // server was down then); settling again moves nothing twice.
    registry.every(std::chrono::hours(1), settle_all_projects);
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/api/club", club_api});
    registry.add_route({sdk::Method::Get, "/apply", apply_page});
    registry.add_route({sdk::Method::Post, "/apply", apply});
    registry.add_route({sdk::Method::Get, "/api/application", application_api});
    registry.add_route({sdk::Method::Post, "/join", join});
    registry.add_route({sdk::Method::Get, "/admin/applications", applications_page});
    registry.add_route({sdk::Method::Get, "/api/admin/applications", applications_api});
    registry.add_route(
        {sdk::Method::Post, "/admin/applications/{member}/decide", decide_application});
    registry.add_funnel_step(
        "applications", [](sdk::Context& context, const std::string& from, const std::string& to) {
          return applications_between(context, from, to);
        });
    registry.add_route({sdk::Method::Post, "/events/{id}/buy", buy_ticket});
    registry.add_route({sdk::Method::Post, "/buy/{offer}", buy_offer});
    registry.add_route({sdk::Method::Get, "/projects/{id}", project_page});
    registry.add_route({sdk::Method::Get, "/api/projects/{id}", project_api});
    registry.add_route({sdk::Method::Post, "/projects/{id}/pledge", pledge});
    registry.add_route({sdk::Method::Post, "/api/projects/{id}/settle", settle_api});
    registry.add_route({sdk::Method::Get, "/match", match_page});
    registry.add_route({sdk::Method::Get, "/api/match", match_api});
    registry.add_route({sdk::Method::Post, "/match/profile", save_profile});
    registry.add_route({sdk::Method::Post, "/match/request", request_match});
    registry.add_route({sdk::Method::Post, "/match/{id}/accept", accept_match});
    registry.add_route({sdk::Method::Post, "/match/{id}/decline", decline_match});
    registry.add_route({sdk::Method::Post, "/match/{id}/pay", pay_intro});
  }
};

}  // namespace
}  // namespace tribe::startup

TRIBE_PLUGIN(tribe::startup::StartupPlugin, "startup", "0.1.0", "startup",
             "Founders' clubs: an entry fee after an approved application, roadshow tickets, "
             "all-or-nothing crowdfunding, investor matching, sponsor slots and training")
