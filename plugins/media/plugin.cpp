// The media plugin: a knowledge-media channel (知识媒体, 自媒体) and its audience. Paywalled
// posts, a paid membership, sponsorship slots booked and paid, and a micro-mall.
#include <chrono>
#include <map>
#include <string>
#include <tribe/sdk/sdk.hpp>

#include "paywall.hpp"
#include "section_check.hpp"
#include "sponsor_slots.hpp"

namespace tribe::media {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto post = Schema::object({
      required("slug", Schema::string(), "URL name of the post, e.g. why-we-read"),
      required("title", Schema::string()),
      optional("author", Schema::string()),
      optional("published", Schema::string(), "date, e.g. 2026-11-01"),
      required("teaser", Schema::string(), "shown to everyone"),
      required("body", Schema::string(),
               "shown only to readers holding `requires`; blank lines separate paragraphs"),
      optional("requires", Schema::string(),
               "the entitlement a reader needs for the body, e.g. member (none: a free post)"),
  });
  auto slot = Schema::object({
      required("id", Schema::string(), "URL name of the slot, e.g. 2027-01-w1"),
      required("date", Schema::string(), "the day the sponsored message runs, e.g. 2027-01-04"),
      required("offer", Schema::string(),
               "the offer selling the slot: capacity 1, so the slot sells once"),
      optional("title", Schema::string(), "e.g. 片头口播 · 第 1 周"),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("posts", Schema::list_of(post), "the channel's posts, newest first"),
      optional("membership_offer", Schema::string(),
               "the offer /join sells and renews (default: membership)"),
      optional("sponsor_slots", Schema::list_of(slot), "dated sponsorship slots"),
      optional("mall", Schema::list_of(Schema::string()), "offer ids the micro-mall sells"),
  });
}

std::string date_text(const std::optional<std::chrono::system_clock::time_point>& at) {
  if (!at) return "";
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(*at)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

// "2027-01-04": the UTC day of the instance's clock (slot dates compare with it as text).
std::string today_text(const sdk::Context& context) {
  return date_text(context.clock().now());
}

// --- posts ------------------------------------------------------------------------------------

std::vector<Post> posts_of(const sdk::Context& context) {
  return posts_from(context.site().config().value("posts", sdk::Json::array()));
}

bool readable(const Post& post, sdk::Context& context) {
  return may_read(post, [&](const std::string& key) { return context.entitled(key); });
}

// Paragraphs for the post page; the template escapes each one.
sdk::Json paragraphs(const std::string& body) {
  sdk::Json list = sdk::Json::array();
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    std::string text = body.substr(start, end - start);
    auto first = text.find_first_not_of(" \n\t");
    if (first != std::string::npos) {
      auto last = text.find_last_not_of(" \n\t");
      list.push_back({{"text", text.substr(first, last - first + 1)}});
    }
    start = end + 2;
  }
  return list;
}

sdk::Json post_listing(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& post : posts_of(context)) {
    sdk::Json item = post_json(post, false);  // lists carry teasers only
    item["locked"] = !readable(post, context);
    item["url"] = request.base + "/posts/" + post.slug;
    list.push_back(std::move(item));
  }
  return list;
}

Post post_or_404(sdk::Context& context, const std::string& slug) {
  auto post = find_post(posts_of(context), slug);
  if (!post) throw sdk::HttpError(404, context.text("media.post_not_found"));
  return *post;
}

// Everyone sees the teaser; the body only who holds what the post requires. The others get the
// Join button instead (the page itself is public, so it answers 200).
sdk::Response post_page(const sdk::Request& request, sdk::Context& context) {
  const Post post = post_or_404(context, request.params.at("slug"));
  const bool open = readable(post, context);
  sdk::Json data = post_json(post, open);
  data["paragraphs"] = open ? paragraphs(post.body) : sdk::Json::array();
  data["idempotency_key"] = sdk::flows::fresh_idempotency_key();
  return sdk::Response::html(context.render_page("post", data));
}

sdk::Response api_posts(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::json(
      {{"site", context.site().id()}, {"posts", post_listing(request, context)}});
}

sdk::Response api_post(const sdk::Request& request, sdk::Context& context) {
  const Post post = post_or_404(context, request.params.at("slug"));
  sdk::Json json = post_json(post, readable(post, context));
  json["url"] = request.base + "/posts/" + post.slug;
  return sdk::Response::json(json);
}

// --- membership -------------------------------------------------------------------------------

std::string membership_offer(const sdk::Context& context) {
  return context.site().config().value("membership_offer", "membership");
}

sdk::Json membership_data(sdk::Context& context, const sdk::Offer& offer) {
  const sdk::Access access = sdk::flows::Subscription(offer.id).status(context);
  return {{"offer", offer.id},
          {"offer_title", offer.title},
          {"offer_description", offer.description},
          {"price", sdk::display_price(offer)},
          {"term", offer.term.value_or("")},
          {"active", access.active},
          {"until", date_text(access.ends_at)},
          {"idempotency_key", sdk::flows::fresh_idempotency_key()}};
}

const sdk::Offer& membership_or_404(sdk::Context& context) {
  const sdk::Offer* offer = sdk::flows::find_offer(context, membership_offer(context));
  if (!offer) throw sdk::HttpError(404, context.text("media.no_membership"));
  return *offer;
}

// Whether the membership runs and until when, and the button that buys or renews it.
sdk::Response join_page(const sdk::Request& request, sdk::Context& context) {
  const sdk::Offer& offer = membership_or_404(context);
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/join");
  return sdk::Response::html(context.render_page("join", membership_data(context, offer)));
}

sdk::Response membership_api(const sdk::Request&, sdk::Context& context) {
  const sdk::Offer& offer = membership_or_404(context);
  if (!context.member()) throw sdk::HttpError(401, context.text("media.log_in_first"));
  sdk::Json data = membership_data(context, offer);
  data.erase("idempotency_key");
  return sdk::Response::json(data);
}

// Buying again before the end extends the term from the old end (the flow kit's Subscription).
sdk::Response join(const sdk::Request& request, sdk::Context& context) {
  return sdk::flows::Subscription(membership_offer(context)).subscribe()(request, context);
}

// --- the micro-mall ---------------------------------------------------------------------------

std::vector<const sdk::Offer*> mall_offers(sdk::Context& context) {
  std::vector<const sdk::Offer*> offers;
  for (const auto& id : context.site().config().value("mall", sdk::Json::array())) {
    if (const sdk::Offer* offer = sdk::flows::find_offer(context, id.get<std::string>())) {
      offers.push_back(offer);
    }
  }
  return offers;
}

sdk::Response shop_page(const sdk::Request&, sdk::Context& context) {
  sdk::Json products = sdk::Json::array();
  for (const sdk::Offer* offer : mall_offers(context)) {
    const sdk::flows::SellOnce flow(offer->id);
    const auto left = context.money().seats_left(offer->id);
    products.push_back({{"id", offer->id},
                        {"title", offer->title},
                        {"description", offer->description},
                        {"price", sdk::display_price(*offer)},
                        {"owned", context.member() && flow.owned(context)},
                        {"sold_out", left && *left <= 0},
                        {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  const bool has_products = !products.empty();
  return sdk::Response::html(context.render_page(
      "shop", {{"products", std::move(products)}, {"has_products", has_products}}));
}

sdk::Response buy_product(const sdk::Request& request, sdk::Context& context) {
  const std::string& id = request.params.at("id");
  for (const sdk::Offer* offer : mall_offers(context)) {
    if (offer->id == id) return sdk::flows::SellOnce(id).buy()(request, context);
  }
  throw sdk::HttpError(404, context.text("media.product_not_found"));
}

// --- sponsorship slots ------------------------------------------------------------------------

std::vector<SponsorSlot> slots_of(const sdk::Context& context) {
  return slots_from(context.site().config().value("sponsor_slots", sdk::Json::array()));
}

std::map<std::string, Booking> paid_bookings(sdk::Context& context) {
  std::map<std::string, Booking> bookings;
  sdk::Query query;
  query.table = "media_bookings";
  query.where = {{"paid", 1}};
  for (const auto& row : context.store().select(query)) {
    bookings[row["slot_id"].get<std::string>()] = {row["sponsor"].get<std::string>(),
                                                   row["message"].get<std::string>(), true};
  }
  return bookings;
}

sdk::Json sponsor_listing(sdk::Context& context) {
  const auto slots = slots_of(context);
  std::map<std::string, std::int64_t> seats;
  for (const auto& slot : slots) {
    // Defence only: the section check refuses a site whose slot names no offer.
    if (!sdk::flows::find_offer(context, slot.offer)) continue;
    if (auto left = context.money().seats_left(slot.offer)) seats[slot.offer] = *left;
  }
  sdk::Json list = slot_listing(slots, paid_bookings(context), seats, today_text(context));
  for (auto& item : list) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, item["offer"].get<std::string>());
    item["price"] = offer ? sdk::display_price(*offer) : "";
    if (!offer) item["open"] = false;
    item["idempotency_key"] = sdk::flows::fresh_idempotency_key();
  }
  return list;
}

// The sponsored messages that run today or later, for the home page (always labelled).
sdk::Json running_sponsors(sdk::Context& context) {
  sdk::Json running = sdk::Json::array();
  const std::string today = today_text(context);
  for (const auto& item : sponsor_listing(context)) {
    if (item["booked"] == true && item["date"].get<std::string>() >= today) {
      running.push_back(item);
    }
  }
  return running;
}

sdk::Response sponsors_page(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::html(context.render_page(
      "sponsors",
      {{"slots", sponsor_listing(context)}, {"logged_in", context.member() != nullptr}}));
}

sdk::Response sponsors_api(const sdk::Request&, sdk::Context& context) {
  sdk::Json slots = sponsor_listing(context);
  for (auto& item : slots) item.erase("idempotency_key");
  return sdk::Response::json({{"site", context.site().id()}, {"slots", std::move(slots)}});
}

std::size_t characters(const std::string& text) {
  std::size_t count = 0;
  for (char c : text) count += (c & 0xC0) != 0x80;  // UTF-8
  return count;
}

// Orders the slot (capacity 1: a second buyer is refused with 409 while the first order holds or
// owns it) and keeps the sponsor's name and message with the order; they appear once it is paid.
sdk::Response book_slot(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/sponsors");
  const std::string& id = request.params.at("id");
  std::optional<SponsorSlot> slot;
  for (const auto& candidate : slots_of(context)) {
    if (candidate.id == id) slot = candidate;
  }
  if (!slot || !sdk::flows::find_offer(context, slot->offer)) {
    throw sdk::HttpError(404, context.text("media.slot_not_found"));
  }
  if (slot->date < today_text(context)) throw sdk::HttpError(409, context.text("media.slot_past"));
  const std::string sponsor = request.field("sponsor");
  const std::string message = request.field("message");
  if (sponsor.empty() || characters(sponsor) > 60 || message.empty() || characters(message) > 200) {
    throw sdk::HttpError(400, context.text("media.sponsor_fields"));
  }
  const sdk::OrderTicket ticket =
      context.money().order(slot->offer, request.field("idempotency_key"), 1);
  context.store().transaction([&](sdk::TenantStore& store) {
    if (store.find_one("media_bookings", {{"order_id", ticket.id}})) return;  // ordered before
    store.insert("media_bookings", {{"order_id", ticket.id},
                                    {"slot_id", slot->id},
                                    {"member_id", context.member()->id},
                                    {"sponsor", sponsor},
                                    {"message", message},
                                    {"paid", 0}});
  });
  return sdk::Response::redirect(request.base + ticket.checkout_path);
}

// A paid slot order makes its booking show (delivered at least once: only the first delivery
// changes the row, so the day it was paid stays).
void on_order_paid(const sdk::Event& event, sdk::Context& context) {
  const std::string order = event.payload.value("order", "");
  if (!order.empty()) {
    context.store().update("media_bookings", {{"order_id", order}, {"paid", 0}},
                           {{"paid", 1}, {"paid_on", today_text(context)}});
  }
}

// Slots paid for from one UTC day to another ("2026-11-01", both included): the funnel step. The
// store filters by equality only: the paid bookings are read once and their day compared here.
std::int64_t sponsorships_between(sdk::Context& context, const std::string& from_day,
                                  const std::string& to_day) {
  std::int64_t total = 0;
  sdk::Query query;
  query.table = "media_bookings";
  query.where = {{"paid", 1}};
  for (const auto& row : context.store().select(query)) {
    const std::string day = row.at("paid_on").get<std::string>();
    total += day >= from_day && day <= to_day;
  }
  return total;
}

// --- the home page ----------------------------------------------------------------------------

sdk::Response home(const sdk::Request& request, sdk::Context& context) {
  sdk::Json posts = post_listing(request, context);
  sdk::Json sponsors = running_sponsors(context);
  const bool has_posts = !posts.empty();
  const bool has_sponsors = !sponsors.empty();
  return sdk::Response::html(
      context.render_page("home", {{"tagline", context.site().config().value("tagline", "")},
                                   {"posts", std::move(posts)},
                                   {"has_posts", has_posts},
                                   {"sponsors", std::move(sponsors)},
                                   {"has_sponsors", has_sponsors}}));
}

class MediaPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"media", "a KOL's audience: paywalled posts, membership, sponsorship and a micro-mall"});
    registry.set_config_schema(section_schema());
    // What the schema cannot see (a slot's or the mall's unknown offer, a slot offer that could
    // sell twice, a post requiring what no offer grants): file:line:col errors, so such a site is
    // not served until its YAML is fixed.
    registry.set_section_check(section_problems);
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    registry.on_event("order.paid", on_order_paid);
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/posts/{slug}", post_page});
    registry.add_route({sdk::Method::Get, "/api/posts", api_posts});
    registry.add_route({sdk::Method::Get, "/api/posts/{slug}", api_post});
    registry.add_route({sdk::Method::Get, "/join", join_page});
    registry.add_route({sdk::Method::Post, "/join", join});
    registry.add_route({sdk::Method::Get, "/api/membership", membership_api});
    registry.add_route({sdk::Method::Get, "/shop", shop_page});
    registry.add_route({sdk::Method::Post, "/shop/{id}/buy", buy_product});
    registry.add_route({sdk::Method::Get, "/sponsors", sponsors_page});
    registry.add_route({sdk::Method::Get, "/api/sponsors", sponsors_api});
    registry.add_route({sdk::Method::Post, "/sponsors/{id}/book", book_slot});
    registry.add_funnel_step("sponsorships", sponsorships_between);
  }
};

}  // namespace
}  // namespace tribe::media

TRIBE_PLUGIN(tribe::media::MediaPlugin, "media", "0.1.0", "media",
             "Knowledge-media channels: paywalled posts, a paid membership, sponsorship slots and "
             "a micro-mall")
