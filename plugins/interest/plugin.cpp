// The interest plugin: communities held together by a hobby and its content.
#include <algorithm>
#include <chrono>
#include <tribe/sdk/sdk.hpp>

#include "checkins.hpp"
#include "kols.hpp"
#include "pages.hpp"
#include "post_catalogue.hpp"

namespace tribe::interest {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto post = Schema::object({
      required("slug", Schema::string(), "URL name of the post, e.g. reading-week-1"),
      required("title", Schema::string()),
      optional("author", Schema::string()),
      optional("published", Schema::string(), "date, e.g. 2026-11-01"),
      required("body", Schema::string(), "the post's text; blank lines separate paragraphs"),
      optional("tags", Schema::list_of(Schema::string())),
      optional("kol", Schema::string(), "the KOL who wrote it: an id of `kols`"),
      optional("sponsor", Schema::string(),
               "the brand that paid for it: the post is always labelled as sponsored"),
      optional("sponsor_link", Schema::string(), "the sponsor's http(s) address"),
  });
  auto group = Schema::object({
      required("id", Schema::string(), "URL name; an offer granting 'group.<id>' sells access"),
      required("title", Schema::string()),
      optional("description", Schema::string(), "shown to everyone"),
      optional("members_note", Schema::string(), "shown only to members with access"),
  });
  auto kol = Schema::object({
      required("id", Schema::string(), "URL name: /kols/<id>; posts name their KOL by it"),
      required("name", Schema::string()),
      optional("title", Schema::string(), "one line under the name, e.g. 领读人 · 21 天共读营"),
      optional("bio", Schema::string(), "blank lines separate paragraphs"),
      optional("group", Schema::string(), "the paid group they lead: an id of `groups`"),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("posts", Schema::list_of(post), "posts seeded into the site"),
      optional("groups", Schema::list_of(group), "paid groups: open while the buyer's term runs"),
      optional("kols", Schema::list_of(kol), "the KOLs: a page each with their posts"),
      optional("membership_offer", Schema::string(),
               "the offer /join sells and renews (default: membership)"),
  });
}

// The offer that sells access to the group: the first one granting "group.<id>".
const sdk::Offer* group_offer(sdk::Context& context, const std::string& id) {
  for (const auto& offer : context.site().offers()) {
    for (const auto& key : offer.grants) {
      if (key == "group." + id) return &offer;
    }
  }
  return nullptr;
}

std::string until_text(const sdk::Access& access) {
  return access.ends_at ? iso_date(std::chrono::floor<std::chrono::days>(*access.ends_at)) : "";
}

// A paid group: its page serves only members whose term (from the offer granting "group.<id>")
// has not ended, so the group stops serving when the term is over. Others get 403 with the way
// in: the offer and a button that orders it.
sdk::Response group_page(const sdk::Request& request, sdk::Context& context) {
  const std::string& id = request.params.at("id");
  auto group = find_group(context, id);
  if (!group) throw sdk::HttpError(404, context.text("interest.group_not_found"));
  if (!context.member())
    return sdk::Response::redirect(request.base + "/login?next=" + request.path);
  const sdk::Offer* offer = group_offer(context, id);
  if (!context.entitled("group." + id)) {
    if (!offer) throw sdk::HttpError(403, context.text("access.requires_offer"));
    sdk::Json data = *group;
    data["offer_title"] = offer->title;
    data["idempotency_key"] = sdk::flows::fresh_idempotency_key();
    return sdk::Response::html(context.render_page("group_join", data), 403);
  }
  sdk::Json data = *group;
  if (offer) data["until"] = until_text(sdk::flows::Subscription(offer->id).status(context));
  return sdk::Response::html(context.render_page("group", data));
}

// The group page's button: orders the group's offer (a term: buying again extends it).
sdk::Response join_group(const sdk::Request& request, sdk::Context& context) {
  const sdk::Offer* offer = group_offer(context, request.params.at("id"));
  if (!offer) throw sdk::HttpError(404, context.text("interest.group_not_found"));
  return sdk::flows::Subscription(offer->id).subscribe()(request, context);
}

std::string membership_offer(sdk::Context& context) {
  return context.site().config().value("membership_offer", "membership");
}

// The membership: whether it runs and until when, and the button that buys or renews it.
sdk::Response join_page(const sdk::Request& request, sdk::Context& context) {
  const sdk::Offer* offer = sdk::flows::find_offer(context, membership_offer(context));
  if (!offer) throw sdk::HttpError(404, context.text("interest.no_membership"));
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/join");
  const sdk::Access access = sdk::flows::Subscription(offer->id).status(context);
  return sdk::Response::html(
      context.render_page("join", {{"offer_title", offer->title},
                                   {"offer_description", offer->description},
                                   {"active", access.active},
                                   {"until", until_text(access)},
                                   {"idempotency_key", sdk::flows::fresh_idempotency_key()}}));
}

sdk::Response join(const sdk::Request& request, sdk::Context& context) {
  return sdk::flows::Subscription(membership_offer(context)).subscribe()(request, context);
}

// What members get: the reading list of the membership ("member").
sdk::Response members_page(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::html(context.render_page("members", sdk::Json::object()));
}

std::chrono::sys_days today(const sdk::Context& context) {
  return std::chrono::floor<std::chrono::days>(context.clock().now());
}

sdk::Json checkins_data(sdk::Context& context) {
  CheckinBook book(context.store());
  const std::string& me = context.member()->id;
  const Streak streak = book.streak_of(me, today(context));
  sdk::Json leaders = sdk::Json::array();
  for (const auto& leader : book.leaders(today(context), 10)) {
    leaders.push_back({{"display_name", leader.display_name},
                       {"streak", leader.current},
                       {"you", leader.member_id == me}});
  }
  return {{"today", iso_date(today(context))},
          {"streak", streak.current},
          {"longest", streak.longest},
          {"total", streak.total},
          {"checked_in_today", streak.checked_in_today},
          {"has_leaders", !leaders.empty()},
          {"leaders", std::move(leaders)}};
}

// Daily check-ins are a members' habit: the page shows the member's streak, the form and the
// leaderboard of streaks still alive.
sdk::Response checkins_page(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::html(context.render_page("checkins", checkins_data(context)));
}

sdk::Response checkins_api(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::json(checkins_data(context));
}

// One check-in a day; a second submit the same day changes nothing. Back to the page either way
// (post/redirect/get), so reloading does not resubmit.
sdk::Response check_in(const sdk::Request& request, sdk::Context& context) {
  std::string note = request.field("note");
  const auto characters =
      std::count_if(note.begin(), note.end(), [](char c) { return (c & 0xC0) != 0x80; });  // UTF-8
  if (characters > 500) throw sdk::HttpError(400, context.text("interest.checkin_note_too_long"));
  CheckinBook(context.store()).check_in(*context.member(), today(context), note);
  return sdk::Response::redirect(request.base + "/checkins");
}

class InterestPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"interest", "people held together by a shared hobby and its content"});
    registry.set_config_schema(section_schema());
    // What the schema cannot see (a post's unknown KOL, a KOL's unknown group, a bad sponsor
    // link): file:line:col errors, so such a site is not served until its YAML is fixed.
    registry.set_section_check(reference_problems);
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    registry.on_site_start([](sdk::Context& context) {
      PostCatalogue(context.store())
          .seed(context.site().config().value("posts", sdk::Json::array()));
    });
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/posts/{slug}", post_page});
    registry.add_route({sdk::Method::Get, "/api/posts", api_posts});
    registry.add_route({sdk::Method::Get, "/api/posts/{slug}", api_post});
    registry.add_route({sdk::Method::Get, "/kols", kols_page});
    registry.add_route({sdk::Method::Get, "/kols/{id}", kol_page});
    registry.add_route({sdk::Method::Get, "/api/kols", api_kols});
    registry.add_route({sdk::Method::Get, "/api/kols/{id}", api_kol});
    registry.add_route({sdk::Method::Get, "/shop", shop_page});
    registry.add_route({sdk::Method::Get, "/api/shop", api_shop});
    registry.add_route({sdk::Method::Post, "/shop/{id}/buy", buy_product});
    registry.add_route({sdk::Method::Get, "/groups/{id}", group_page});
    registry.add_route({sdk::Method::Post, "/groups/{id}/join", join_group});
    registry.add_route({sdk::Method::Get, "/join", join_page});
    registry.add_route({sdk::Method::Post, "/join", join});
    registry.add_route(
        {sdk::Method::Get, "/members", sdk::requires_entitlement("member", members_page)});
    registry.add_route(
        {sdk::Method::Get, "/checkins", sdk::requires_entitlement("member", checkins_page)});
    registry.add_route(
        {sdk::Method::Post, "/checkins", sdk::requires_entitlement("member", check_in)});
    registry.add_route(
        {sdk::Method::Get, "/api/checkins", sdk::requires_entitlement("member", checkins_api)});
    registry.add_funnel_step(
        "check_ins", [](sdk::Context& context, const std::string& from, const std::string& to) {
          return CheckinBook(context.store()).checkins_between(from, to);
        });
  }
};

}  // namespace

std::optional<sdk::Json> find_group(sdk::Context& context, const std::string& id) {
  for (const auto& group : context.site().config().value("groups", sdk::Json::array())) {
    if (group["id"] == id) return group;
  }
  return std::nullopt;
}

}  // namespace tribe::interest

TRIBE_PLUGIN(
    tribe::interest::InterestPlugin, "interest", "0.1.0", "interest",
    "Interest communities: posts, KOL pages, sponsored posts, a members' page, paid groups with "
    "a term, daily check-ins, books and merchandise")
