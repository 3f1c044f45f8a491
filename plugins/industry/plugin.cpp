// The industry plugin: a club of verified professionals of one trade (行业社群), such as a PR and
// marketing professionals' club. Verified applications (an admin approves or rejects with a
// reason), an entry fee, class and training fees sold only to verified members, and a job and
// resource board that ranks posts by the tags a member shares with them.
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

#include "applications.hpp"
#include "board.hpp"
#include "club_rules.hpp"
#include "section_check.hpp"

namespace tribe::industry {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto class_ = Schema::object({
      required("id", Schema::string(), "URL name of the class, e.g. crisis-pr-2027-01"),
      required("title", Schema::string()),
      required("offer", Schema::string(), "the class fee's offer: its capacity is the seats"),
      optional("date", Schema::string(), "the day it takes place, e.g. 2027-01-16 (shown)"),
      optional("teacher", Schema::string()),
      optional("description", Schema::string()),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("entry_offer", Schema::string(),
               "the entry fee /join sells and renews (default: entry)"),
      optional("classes", Schema::list_of(class_), "classes with a class fee and limited seats"),
      optional("training", Schema::list_of(Schema::string()),
               "offer ids of training programmes (a term makes buying again a renewal)"),
  });
}

struct Class {
  std::string id;
  std::string title;
  std::string offer;
  std::string date;
  std::string teacher;
  std::string description;
};

std::vector<Class> classes_of(const sdk::Context& context) {
  std::vector<Class> classes;
  for (const auto& item : context.site().config().value("classes", sdk::Json::array())) {
    classes.push_back({item.at("id").get<std::string>(), item.at("title").get<std::string>(),
                       item.at("offer").get<std::string>(), item.value("date", ""),
                       item.value("teacher", ""), item.value("description", "")});
  }
  return classes;
}

std::vector<std::string> training_of(const sdk::Context& context) {
  std::vector<std::string> ids;
  for (const auto& id : context.site().config().value("training", sdk::Json::array())) {
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

std::string entry_offer(const sdk::Context& context) {
  return context.site().config().value("entry_offer", "entry");
}

bool holds_first_grant(sdk::Context& context, const sdk::Offer& offer) {
  return context.member() && !offer.grants.empty() && context.entitled(offer.grants.front());
}

// The entry fee: whether it runs and until when (a renewal extends it from the old end).
sdk::Json entry_data(sdk::Context& context) {
  const sdk::Offer* offer = sdk::flows::find_offer(context, entry_offer(context));
  if (!offer) return nullptr;
  const sdk::Access access = sdk::flows::Subscription(offer->id).status(context);
  return {{"offer", offer->id},
          {"title", offer->title},
          {"description", offer->description},
          {"price", sdk::display_price(*offer)},
          {"term", offer->term.value_or("")},
          {"active", context.member() && access.active},
          {"until", access.ends_at ? date_text(*access.ends_at) : ""},
          {"idempotency_key", sdk::flows::fresh_idempotency_key()}};
}

sdk::Json class_listing(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& item : classes_of(context)) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, item.offer);
    if (!offer) continue;  // refused by the section check: defence only
    const auto left = sdk::flows::SeatReservation(offer->id).seats_left(context);
    list.push_back({{"id", item.id},
                    {"title", item.title},
                    {"date", item.date},
                    {"teacher", item.teacher},
                    {"description", item.description},
                    {"price", sdk::display_price(*offer)},
                    {"limited", left.has_value()},
                    {"seats_left", left.value_or(0)},
                    {"sold_out", left && *left <= 0},
                    {"has_seat", holds_first_grant(context, *offer)},
                    {"buy", request.base + "/classes/" + item.id + "/buy"},
                    {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  return list;
}

sdk::Json training_listing(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& id : training_of(context)) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, id);
    if (!offer) continue;  // refused by the section check: defence only
    const sdk::Access access = sdk::flows::Subscription(id).status(context);
    list.push_back({{"id", id},
                    {"title", offer->title},
                    {"description", offer->description},
                    {"price", sdk::display_price(*offer)},
                    {"term", offer->term.value_or("")},
                    {"active", context.member() && access.active},
                    {"until", access.ends_at ? date_text(*access.ends_at) : ""},
                    {"buy", request.base + "/training/" + id + "/buy"},
                    {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  return list;
}

sdk::Json club_data(const sdk::Request& request, sdk::Context& context) {
  sdk::Json data = {{"tagline", context.site().config().value("tagline", "")},
                    {"entry", entry_data(context)},
                    {"classes", class_listing(request, context)},
                    {"training", training_listing(request, context)},
                    {"logged_in", context.member() != nullptr},
                    {"verified", false},
                    {"application", ""}};
  data["has_entry"] = !data["entry"].is_null();
  data["has_classes"] = !data["classes"].empty();
  data["has_training"] = !data["training"].empty();
  if (context.member()) {
    data["verified"] = is_verified(context.tags_of(context.member()->id));
    data["application"] = application_state(context, context.member()->id);
  }
  return data;
}

sdk::Json without_keys(sdk::Json data) {
  if (data["entry"].is_object()) data["entry"].erase("idempotency_key");
  for (const char* key : {"classes", "training"}) {
    for (auto& item : data[key]) item.erase("idempotency_key");
  }
  return data;
}

sdk::Response home(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::html(context.render_page("home", club_data(request, context)));
}

sdk::Response club_api(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::json(without_keys(club_data(request, context)));
}

// GET /join: the entry fee, whether it runs and the button that pays or renews it.
sdk::Response join_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/join");
  sdk::Json data = club_data(request, context);
  if (!data["has_entry"].get<bool>()) {
    throw sdk::HttpError(404, context.text("industry.no_entry_offer"));
  }
  return sdk::Response::html(context.render_page("join", data));
}

// POST /join: the entry fee (the flow kit's Subscription: paying again renews from the old end).
// The offer requires the tag `verified`: the kernel refuses anyone else with 403 and no order.
sdk::Response join(const sdk::Request& request, sdk::Context& context) {
  if (!sdk::flows::find_offer(context, entry_offer(context))) {
    throw sdk::HttpError(404, context.text("industry.no_entry_offer"));
  }
  return sdk::flows::Subscription(entry_offer(context)).subscribe()(request, context);
}

// A class fee: the seat is held by the unpaid order and never oversold.
sdk::Response buy_class(const sdk::Request& request, sdk::Context& context) {
  for (const auto& item : classes_of(context)) {
    if (item.id == request.params.at("id") && sdk::flows::find_offer(context, item.offer)) {
      return sdk::flows::SeatReservation(item.offer).reserve()(request, context);
    }
  }
  throw sdk::HttpError(404, context.text("industry.class_not_found"));
}

// A training fee (renewed by buying again before its term ends).
sdk::Response buy_training(const sdk::Request& request, sdk::Context& context) {
  const std::string& id = request.params.at("offer");
  for (const auto& listed : training_of(context)) {
    if (listed == id && sdk::flows::find_offer(context, id)) {
      return sdk::flows::Subscription(id).subscribe()(request, context);
    }
  }
  throw sdk::HttpError(404, context.text("industry.offer_not_found"));
}

// Advice rather than a mistake: a class whose offer has no capacity sells unlimited seats. Logged
// when the site starts (what would be a mistake is the section check's, section_check.cpp).
void advise_on_seats(sdk::Context& context) {
  for (const auto& item : classes_of(context)) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, item.offer);
    if (offer && !offer->capacity) {
      context.log().warn(
          "industry.classes: the offer '" + offer->id + "' of class '" + item.id +
          "' has no capacity, so its seats are unlimited; give it capacity: <seats>");
    }
  }
}

class IndustryPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"industry",
         "verified professionals of one trade: applications, entry, class and training fees, "
         "a job and resource board with matching"});
    registry.set_config_schema(section_schema());
    // What the schema cannot see (the entry fee, a class or a training naming an offer the site
    // does not sell): file:line:col errors, so such a site is not served.
    registry.set_section_check(section_problems);
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    registry.on_site_start(advise_on_seats);
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/api/club", club_api});
    registry.add_route({sdk::Method::Get, "/apply", apply_page});
    registry.add_route({sdk::Method::Post, "/apply", apply});
    registry.add_route({sdk::Method::Get, "/api/application", application_api});
    registry.add_route({sdk::Method::Get, "/admin/applications", applications_page});
    registry.add_route({sdk::Method::Get, "/api/admin/applications", applications_api});
    registry.add_route(
        {sdk::Method::Post, "/admin/applications/{member}/decide", decide_application});
    registry.add_funnel_step(
        "applications", [](sdk::Context& context, const std::string& from, const std::string& to) {
          return applications_between(context, from, to);
        });
    registry.add_route({sdk::Method::Get, "/join", join_page});
    registry.add_route({sdk::Method::Post, "/join", join});
    registry.add_route({sdk::Method::Post, "/classes/{id}/buy", buy_class});
    registry.add_route({sdk::Method::Post, "/training/{offer}/buy", buy_training});
    registry.add_route({sdk::Method::Get, "/board", board_page});
    registry.add_route({sdk::Method::Get, "/api/board", board_api});
    registry.add_route({sdk::Method::Get, "/api/board/mine", my_posts_api});
    registry.add_route({sdk::Method::Post, "/board", create_post});
    registry.add_route({sdk::Method::Post, "/board/{id}/contact", contact_post});
  }
};

}  // namespace
}  // namespace tribe::industry

TRIBE_PLUGIN(tribe::industry::IndustryPlugin, "industry", "0.1.0", "industry",
             "Trade clubs of verified professionals: applications approved by an admin, entry, "
             "class and training fees, and a job and resource board with matching")
