// A fixture plugin that composes every flow of the SDK's flow kit (tribe/sdk/flows.hpp) on the
// offers of its site, so the end-to-end tests drive the flows through a real plugin loaded from
// its .so, over HTTP. Settling is an admin's POST here; a community plugin would settle from its
// own schedule or page.
#include <chrono>
#include <stdexcept>

#include "tribe/sdk/sdk.hpp"

namespace {

using namespace tribe::sdk;
namespace flows = tribe::sdk::flows;

constexpr const char* kDone = "fixture_flowkit_done";
constexpr const char* kPaid = "fixture_flowkit_paid";

std::string setting(Context& context, const char* key) {
  return context.site().config().at(key).get<std::string>();
}

void require_admin(Context& context) {
  if (!context.member() || !context.member()->admin) throw HttpError(403, "admins only");
}

// The campaign named in the URL, from the site's `campaigns`.
flows::EscrowPledge campaign(const Request& request, Context& context) {
  for (const auto& item : context.site().config().at("campaigns")) {
    if (item.at("offer") == request.params.at("offer")) {
      return flows::EscrowPledge(
          item.at("offer").get<std::string>(), item.at("goal").get<std::int64_t>(),
          std::chrono::system_clock::time_point(
              std::chrono::seconds(item.at("deadline_unix").get<long long>())));
    }
  }
  throw HttpError(404, "no such campaign");
}

Json access_json(const Access& access) {
  Json json = {{"active", access.active}};
  if (access.ends_at) {
    json["ends_at_unix"] =
        std::chrono::duration_cast<std::chrono::seconds>(access.ends_at->time_since_epoch())
            .count();
  }
  return json;
}

Response challenge_done(const Request&, Context& context) {
  if (!context.member()) throw HttpError(401, "log in first");
  if (context.store().count(kDone, {{"member_id", context.member()->id}}) == 0) {
    context.store().insert(kDone, {{"member_id", context.member()->id}});
  }
  return Response::json({{"done", true}});
}

Response challenge_settle(const Request&, Context& context) {
  require_admin(context);
  const auto settled = flows::DepositChallenge(setting(context, "deposit_offer"))
                           .settle(context, [&](const std::string& member_id) {
                             return context.store().count(kDone, {{"member_id", member_id}}) > 0;
                           });
  return Response::json({{"given_back", settled.given_back}, {"forfeited", settled.forfeited}});
}

Response holdings(const Request& request, Context& context) {
  require_admin(context);
  Json list = Json::array();
  for (const auto& held : context.money().holdings(request.params.at("offer"))) {
    list.push_back({{"order", held.order_id},
                    {"member", held.member_id},
                    {"amount", held.amount},
                    {"state", held.state},
                    {"reason", held.reason}});
  }
  return Response::json(list);
}

Response pledge(const Request& request, Context& context) {
  return campaign(request, context).pledge()(request, context);
}

Response campaign_progress(const Request& request, Context& context) {
  const auto progress = campaign(request, context).progress(context);
  return Response::json({{"raised", progress.raised},
                         {"goal", progress.goal},
                         {"pledges", progress.pledges},
                         {"closed", progress.closed}});
}

Response campaign_settle(const Request& request, Context& context) {
  require_admin(context);
  const char* names[] = {"open", "funded", "refunded"};
  return Response::json(
      {{"outcome", names[static_cast<int>(campaign(request, context).settle(context))]}});
}

// Each paid order once, however often the kernel delivers its event (at least once).
void on_paid(const Event& event, Context& context) {
  if (context.store().count(kPaid, {{"event_id", event.id}}) > 0) return;
  context.store().insert(kPaid, {{"event_id", event.id},
                                 {"order_id", event.payload.at("order")},
                                 {"offer_id", event.payload.at("offer")}});
}

Response paid_orders(const Request&, Context& context) {
  Json list = Json::array();
  for (const auto& row : context.store().select({kPaid, Json::object(), "order_id"})) {
    list.push_back(row);
  }
  return Response::json(list);
}

// Member tags as a plugin sets them (an approved application's "verified"): the logged-in member
// gets or loses the tag in the URL.
Response set_own_tag(const Request& request, Context& context, bool on) {
  if (!context.member()) throw HttpError(401, "log in first");
  const bool changed = context.set_tag(context.member()->id, request.params.at("tag"), on);
  return Response::json({{"changed", changed}, {"tags", context.tags_of(context.member()->id)}});
}

// Points as a plugin moves them: `member` (default: the one asking) gets or spends `amount` under
// `key`.
Response move_points(const Request& request, Context& context, bool award) {
  if (!context.member()) throw HttpError(401, "log in first");
  const std::string member =
      request.form.count("member") ? request.field("member") : context.member()->id;
  const std::int64_t amount = std::stoll(request.field("amount"));
  const std::string key = request.field("key");
  const bool moved = award ? context.money().award_points(member, amount, key, "fixture")
                           : context.money().spend_points(member, amount, key, "fixture");
  return Response::json({{"moved", moved}, {"points", context.money().points(member)}});
}

class FlowKitPlugin final : public Plugin {
 public:
  void register_with(Registry& registry) override {
    registry.add_community_type({"flowkit-fixture", "A community type for the flow kit's tests"});
    auto campaign_schema =
        Schema::object({required("offer", Schema::string()), required("goal", Schema::integer()),
                        required("deadline_unix", Schema::integer())});
    registry.set_config_schema(Schema::object({
        required("book_offer", Schema::string()),
        required("pass_offer", Schema::string()),
        required("seat_offer", Schema::string()),
        required("deposit_offer", Schema::string()),
        required("campaigns", Schema::list_of(campaign_schema)),
    }));
    register_bundled_files(registry);
    registry.add_route(
        {Method::Post, "/book/buy", [](const Request& request, Context& context) {
           return flows::SellOnce(setting(context, "book_offer")).buy()(request, context);
         }});
    registry.add_route(
        {Method::Get, "/api/book", [](const Request&, Context& context) {
           return Response::json(
               {{"owned", flows::SellOnce(setting(context, "book_offer")).owned(context)}});
         }});
    registry.add_route(
        {Method::Post, "/pass/subscribe", [](const Request& request, Context& context) {
           return flows::Subscription(setting(context, "pass_offer")).subscribe()(request, context);
         }});
    registry.add_route({Method::Get, "/api/pass", [](const Request&, Context& context) {
                          return Response::json(access_json(
                              flows::Subscription(setting(context, "pass_offer")).status(context)));
                        }});
    registry.add_route(
        {Method::Post, "/seats/reserve", [](const Request& request, Context& context) {
           return flows::SeatReservation(setting(context, "seat_offer"))
               .reserve()(request, context);
         }});
    registry.add_route(
        {Method::Get, "/api/seats", [](const Request&, Context& context) {
           const auto left =
               flows::SeatReservation(setting(context, "seat_offer")).seats_left(context);
           return Response::json({{"left", left ? Json(*left) : Json()}});
         }});
    registry.add_route(
        {Method::Post, "/challenge/join", [](const Request& request, Context& context) {
           return flows::DepositChallenge(setting(context, "deposit_offer"))
               .join()(request, context);
         }});
    registry.add_route({Method::Post, "/challenge/done", challenge_done});
    // Funnel steps: one counted from the plugin's table, one that fails and shows as null.
    registry.add_funnel_step("challenge_done",
                             [](Context& context, const std::string&, const std::string&) {
                               return context.store().count(kDone, Json::object());
                             });
    registry.add_funnel_step("broken",
                             [](Context&, const std::string&, const std::string&) -> std::int64_t {
                               throw std::runtime_error("this step always fails");
                             });
    registry.on_event("order.paid", on_paid);
    registry.add_route({Method::Get, "/api/paid", paid_orders});
    registry.add_route({Method::Post, "/challenge/settle", challenge_settle});
    registry.add_route({Method::Get, "/api/holdings/{offer}", holdings});
    registry.add_route({Method::Post, "/campaigns/{offer}/pledge", pledge});
    registry.add_route({Method::Get, "/api/campaigns/{offer}", campaign_progress});
    // `sold_by: plugin`: the intro fee is sold only here.
    registry.add_route({Method::Post, "/intro/buy", [](const Request& request, Context& context) {
                          return flows::SellOnce("intro").buy()(request, context);
                        }});
    registry.add_route({Method::Post, "/tags/{tag}/give",
                        [](const Request& r, Context& c) { return set_own_tag(r, c, true); }});
    registry.add_route({Method::Post, "/tags/{tag}/take",
                        [](const Request& r, Context& c) { return set_own_tag(r, c, false); }});
    registry.add_route({Method::Post, "/points/award",
                        [](const Request& r, Context& c) { return move_points(r, c, true); }});
    registry.add_route({Method::Post, "/points/spend",
                        [](const Request& r, Context& c) { return move_points(r, c, false); }});
    registry.add_route({Method::Get, "/api/tagged/{tag}", [](const Request& r, Context& c) {
                          return Response::json(c.members_tagged(r.params.at("tag"), 100));
                        }});
    registry.add_route({Method::Post, "/campaigns/{offer}/settle", campaign_settle});
  }
};

}  // namespace

TRIBE_PLUGIN(FlowKitPlugin, "fixture_flowkit", "1.0.0", "flowkit-fixture",
             "Every flow of the SDK's flow kit, for the end-to-end tests")
