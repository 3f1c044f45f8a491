// The brand plugin: a community around a brand's values and its opinion-leader owner, with
// rules and rewards: a renewable membership, points earned by actions and purchases and spent on
// rewards (points are whole numbers in the site's ledger), tours and events, and books.
#include <algorithm>
#include <chrono>
#include <string>
#include <tribe/sdk/sdk.hpp>

#include "points_book.hpp"
#include "points_rules.hpp"
#include "reward_shelf.hpp"
#include "section_check.hpp"

namespace tribe::brand {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto offer_points = Schema::object({
      required("offer", Schema::string(), "an offer id of the site"),
      required("points", Schema::integer(),
               "points a paid order of it earns (instead of per_yuan)"),
  });
  auto points = Schema::object({
      optional("checkin", Schema::integer(),
               "points for the daily check-in (sharing a growth note), once per member and day"),
      optional("per_yuan", Schema::integer(),
               "points per whole yuan of a paid order (rounded down), for offers not listed"),
      optional("offers", Schema::list_of(offer_points), "fixed points for a paid order of these"),
  });
  auto reward = Schema::object({
      required("id", Schema::string(), "URL name of the reward"),
      required("title", Schema::string()),
      required("cost", Schema::integer(), "points one redemption spends"),
      required("stock", Schema::integer(), "how many there are; never oversold"),
      optional("description", Schema::string()),
  });
  auto event = Schema::object({
      required("offer", Schema::string(), "the ticket offer (kind: ticket, capacity: seats)"),
      optional("when", Schema::string(), "date and time, shown to everyone"),
      optional("where", Schema::string(), "city and place, shown to everyone"),
  });
  auto book = Schema::object({
      required("offer", Schema::string(), "the book's offer (capacity: copies in stock)"),
      optional("author", Schema::string()),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("owner", Schema::string(), "the opinion leader the brand stands behind"),
      optional("values", Schema::list_of(Schema::string()), "the brand's values, one line each"),
      optional("membership_offer", Schema::string(),
               "the offer /join sells and renews (default: membership)"),
      optional("points", points, "how points are earned"),
      optional("rewards", Schema::list_of(reward), "what points are spent on"),
      optional("events", Schema::list_of(event), "tours and events, sold as tickets"),
      optional("books", Schema::list_of(book), "books, sold from stock"),
  });
}

const sdk::Json& section(sdk::Context& context) {
  return context.site().config();
}

std::chrono::sys_days today(const sdk::Context& context) {
  return std::chrono::floor<std::chrono::days>(context.clock().now());
}

std::string login_to(const sdk::Request& request, const std::string& next) {
  return request.base + "/login?next=" + next;
}

sdk::Response home(const sdk::Request&, sdk::Context& context) {
  const sdk::Json& config = section(context);
  sdk::Json values = sdk::Json::array();
  for (const auto& value : config.value("values", sdk::Json::array())) {
    values.push_back({{"text", value}});
  }
  const bool has_values = !values.empty();
  return sdk::Response::html(context.render_page("home", {{"tagline", config.value("tagline", "")},
                                                          {"owner", config.value("owner", "")},
                                                          {"values", std::move(values)},
                                                          {"has_values", has_values}}));
}

// --- membership -------------------------------------------------------------------------------

std::string membership_offer(sdk::Context& context) {
  return section(context).value("membership_offer", "membership");
}

std::string until_text(const sdk::Access& access) {
  return access.ends_at ? iso_date(std::chrono::floor<std::chrono::days>(*access.ends_at)) : "";
}

sdk::Response join_page(const sdk::Request& request, sdk::Context& context) {
  const sdk::Offer* offer = sdk::flows::find_offer(context, membership_offer(context));
  if (!offer) throw sdk::HttpError(404, context.text("brand.no_membership"));
  if (!context.member()) return sdk::Response::redirect(login_to(request, "/join"));
  const sdk::Access access = sdk::flows::Subscription(offer->id).status(context);
  return sdk::Response::html(
      context.render_page("join", {{"offer_title", offer->title},
                                   {"offer_description", offer->description},
                                   {"price", sdk::display_price(*offer)},
                                   {"active", access.active},
                                   {"until", until_text(access)},
                                   {"idempotency_key", sdk::flows::fresh_idempotency_key()}}));
}

sdk::Response join(const sdk::Request& request, sdk::Context& context) {
  return sdk::flows::Subscription(membership_offer(context)).subscribe()(request, context);
}

// --- points -----------------------------------------------------------------------------------

sdk::Json points_data(sdk::Context& context) {
  const std::string& me = context.member()->id;
  PointsBook book(context);
  const PointsRules rules = points_rules_of(section(context));
  sdk::Json history = book.history(me, 50);
  const bool has_history = !history.empty();
  return {{"points", context.money().points(me)},
          {"today", iso_date(today(context))},
          {"checkin_points", rules.checkin},
          {"may_check_in", rules.checkin > 0 && context.entitled("member")},
          {"checked_in_today", book.recorded(checkin_key(me, today(context)))},
          {"history", std::move(history)},
          {"has_history", has_history}};
}

sdk::Response points_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(login_to(request, "/points"));
  return sdk::Response::html(context.render_page("points", points_data(context)));
}

sdk::Response points_api(const sdk::Request&, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("brand.log_in_first"));
  return sdk::Response::json(points_data(context));
}

// The daily check-in (sharing a growth note) earns the YAML's points once a day; a second submit
// the same day moves nothing. Back to the points page either way (post/redirect/get).
sdk::Response check_in(const sdk::Request& request, sdk::Context& context) {
  const std::int64_t points = points_rules_of(section(context)).checkin;
  if (points <= 0) throw sdk::HttpError(404, context.text("brand.no_checkin"));
  const std::string note = request.field("note");
  const auto characters =
      std::count_if(note.begin(), note.end(), [](char c) { return (c & 0xC0) != 0x80; });  // UTF-8
  if (characters > 500) throw sdk::HttpError(400, context.text("brand.note_too_long"));
  PointsBook(context).award(context.member()->id, points,
                            checkin_key(context.member()->id, today(context)),
                            context.text("brand.reason_checkin"));
  return sdk::Response::redirect(request.base + "/points");
}

// --- rewards ----------------------------------------------------------------------------------

std::optional<Reward> find_reward(sdk::Context& context, const std::string& id) {
  for (auto& reward : rewards_of(section(context))) {
    if (reward.id == id) return reward;
  }
  return std::nullopt;
}

sdk::Json rewards_data(sdk::Context& context) {
  RewardShelf shelf(context.store());
  const std::int64_t points = context.member() ? context.money().points(context.member()->id) : 0;
  sdk::Json list = sdk::Json::array();
  for (const auto& reward : rewards_of(section(context))) {
    const std::int64_t left = shelf.left(reward.id);
    list.push_back({{"id", reward.id},
                    {"title", reward.title},
                    {"description", reward.description},
                    {"cost", reward.cost},
                    {"left", left},
                    {"sold_out", left <= 0},
                    {"affordable", points >= reward.cost},
                    {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  return {
      {"points", points}, {"logged_in", context.member() != nullptr}, {"rewards", std::move(list)}};
}

sdk::Response rewards_page(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::html(context.render_page("rewards", rewards_data(context)));
}

sdk::Response rewards_api(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::json(rewards_data(context));
}

// One redemption: one of the reward's stock taken, then its points spent under the key of the
// form (a resubmitted form redeems once). Too few points: 409 and the stock is put back; none
// left: 409.
bool redeem(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("brand.log_in_first"));
  const auto reward = find_reward(context, request.params.at("id"));
  if (!reward) throw sdk::HttpError(404, context.text("brand.reward_not_found"));
  const std::string form_key = request.field("idempotency_key");
  if (form_key.empty() || form_key.size() > 64) {
    throw sdk::HttpError(400, context.text("brand.bad_form_key"));
  }
  const std::string& me = context.member()->id;
  const std::string key = reward_key(me, reward->id, form_key);
  PointsBook book(context);
  if (book.recorded(key)) return false;  // redeemed before with this form
  RewardShelf shelf(context.store());
  if (!shelf.take_one(reward->id)) throw sdk::HttpError(409, context.text("brand.reward_gone"));
  bool spent = false;
  try {
    spent = book.spend(me, reward->cost, key,
                       context.text("brand.reason_reward") + " " + reward->title);
  } catch (const sdk::HttpError& error) {
    shelf.put_back(reward->id);
    if (error.status() == 409) {
      throw sdk::HttpError(409, context.text("brand.not_enough_points"));
    }
    throw;
  }
  if (!spent) shelf.put_back(reward->id);  // a racing submit of the same form spent it
  return spent;
}

sdk::Response redeem_form(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(login_to(request, "/rewards"));
  redeem(request, context);
  return sdk::Response::redirect(request.base + "/points");
}

sdk::Response redeem_api(const sdk::Request& request, sdk::Context& context) {
  const bool redeemed = redeem(request, context);
  return sdk::Response::json(
      {{"redeemed", redeemed}, {"points", context.money().points(context.member()->id)}});
}

// --- tours, events and books ------------------------------------------------------------------

sdk::Json sold_items(sdk::Context& context, const char* key) {
  sdk::Json list = sdk::Json::array();
  for (const auto& item : section(context).value(key, sdk::Json::array())) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, item.at("offer").get<std::string>());
    if (!offer) continue;  // refused by the section check: defence only
    const auto left = context.money().seats_left(offer->id);
    list.push_back({{"offer", offer->id},
                    {"title", offer->title},
                    {"description", offer->description},
                    {"price", sdk::display_price(*offer)},
                    {"when", item.value("when", "")},
                    {"where", item.value("where", "")},
                    {"author", item.value("author", "")},
                    {"limited", left.has_value()},
                    {"left", left.value_or(0)},
                    {"sold_out", left && *left <= 0},
                    {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  return list;
}

sdk::Json events_data(sdk::Context& context) {
  sdk::Json events = sold_items(context, "events");
  sdk::Json books = sold_items(context, "books");
  const bool has_events = !events.empty();
  const bool has_books = !books.empty();
  return {{"events", std::move(events)},
          {"has_events", has_events},
          {"books", std::move(books)},
          {"has_books", has_books}};
}

sdk::Response events_page(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::html(context.render_page("events", events_data(context)));
}

sdk::Response events_api(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::json(events_data(context));
}

// A ticket or a book: one per click of the form (its key), never beyond the offer's capacity.
sdk::Response buy_item(const sdk::Request& request, sdk::Context& context) {
  const std::string& offer = request.params.at("offer");
  bool listed = false;
  for (const char* key : {"events", "books"}) {
    for (const auto& item : section(context).value(key, sdk::Json::array())) {
      listed = listed || item.at("offer") == offer;
    }
  }
  if (!listed || !sdk::flows::find_offer(context, offer)) {
    throw sdk::HttpError(404, context.text("brand.item_not_found"));
  }
  if (!context.member()) return sdk::Response::redirect(login_to(request, "/events"));
  return sdk::flows::SeatReservation(offer).reserve()(request, context);
}

// --- the site's start: the rewards' stock -----------------------------------------------------

void start_site(sdk::Context& context) {
  RewardShelf(context.store()).stock(rewards_of(section(context)));
}

class BrandPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"brand", "a brand's values and its owner: membership, points and rewards, events, books"});
    registry.set_config_schema(section_schema());
    // What the schema cannot see (an event, book or points rule naming an offer the site does not
    // sell, a reward costing no points): file:line:col errors, so such a site is not served.
    registry.set_section_check(section_problems);
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    registry.on_site_start(start_site);
    // Purchase points are keyed by the order: a redelivered event awards nothing twice.
    registry.on_event("order.paid", [](const sdk::Event& event, sdk::Context& context) {
      PointsBook(context).on_order_paid(event);
    });
    registry.on_event("order.refunded", [](const sdk::Event& event, sdk::Context& context) {
      PointsBook(context).on_order_refunded(event);
    });
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/join", join_page});
    registry.add_route({sdk::Method::Post, "/join", join});
    registry.add_route({sdk::Method::Get, "/points", points_page});
    registry.add_route({sdk::Method::Get, "/api/points", points_api});
    registry.add_route(
        {sdk::Method::Post, "/checkins", sdk::requires_entitlement("member", check_in)});
    registry.add_funnel_step("points_awarded", [](sdk::Context& context, const std::string& from,
                                                  const std::string& to) {
      return PointsBook(context).awards_between(from, to);
    });
    registry.add_route({sdk::Method::Get, "/rewards", rewards_page});
    registry.add_route({sdk::Method::Get, "/api/rewards", rewards_api});
    registry.add_route({sdk::Method::Post, "/rewards/{id}/redeem", redeem_form});
    registry.add_route({sdk::Method::Post, "/api/rewards/{id}/redeem", redeem_api});
    registry.add_route({sdk::Method::Get, "/events", events_page});
    registry.add_route({sdk::Method::Get, "/api/events", events_api});
    registry.add_route({sdk::Method::Post, "/events/{offer}/buy", buy_item});
  }
};

}  // namespace
}  // namespace tribe::brand

TRIBE_PLUGIN(tribe::brand::BrandPlugin, "brand", "0.1.0", "brand",
             "Brand communities: a renewable membership, points earned by actions and purchases "
             "and spent on rewards, tours and events, books")
