#include "challenge_pages.hpp"

#include "checkin_log.hpp"

namespace tribe::learning {
namespace {

const Challenge& challenge_named(const sdk::Request& request, sdk::Context& context,
                                 const std::vector<Challenge>& challenges) {
  const Challenge* challenge = find_challenge(challenges, request.params.at("id"));
  if (!challenge) throw sdk::HttpError(404, context.text("learning.challenge_not_found"));
  return *challenge;
}

const sdk::Offer& deposit_offer(sdk::Context& context, const Challenge& challenge) {
  const sdk::Offer* offer = sdk::flows::find_offer(context, challenge.offer);
  if (!offer) throw sdk::HttpError(404, context.text("learning.challenge_not_sold"));
  return *offer;
}

sdk::Json progress_json(const DepositProgress& progress) {
  return {{"order", progress.order_id},
          {"state", progress.state},
          {"held", progress.state == "held"},
          {"returned", progress.state == "returned"},
          {"forfeited", progress.state == "forfeited"},
          {"start", iso_date(progress.start)},
          {"counted", progress.counted},
          {"days_left", progress.days_left},
          {"open", progress.open},
          {"due", progress.due}};
}

sdk::Json challenge_json(sdk::Context& context, const Challenge& challenge) {
  const sdk::Offer& offer = deposit_offer(context, challenge);
  sdk::Json json = {{"id", challenge.id},
                    {"title", challenge.title},
                    {"description", challenge.description},
                    {"days", challenge.rule.days},
                    {"required", challenge.rule.required},
                    {"deposit", sdk::display_price(offer)}};
  sdk::Json deposits = sdk::Json::array();
  bool in_play = false;  // a deposit held or on its way back: no second one
  bool settleable = false;
  if (context.member()) {
    for (const auto& progress :
         DepositBook(context).progress_of(challenge, context.member()->id, today(context))) {
      in_play = in_play || progress.state == "held" || progress.state == "returning";
      settleable = settleable || (progress.state == "held" && progress.due);
      deposits.push_back(progress_json(progress));
    }
  }
  json["has_deposits"] = !deposits.empty();
  json["deposits"] = std::move(deposits);
  json["can_join"] = !in_play;
  json["can_settle"] = settleable;
  json["idempotency_key"] = sdk::flows::fresh_idempotency_key();
  if (context.member() && context.member()->admin) {
    sdk::Json all = sdk::Json::array();
    for (const auto& held : context.money().holdings(challenge.offer)) {
      all.push_back({{"order", held.order_id},
                     {"member", held.member_id},
                     {"amount", held.amount},
                     {"state", held.state},
                     {"reason", held.reason}});
    }
    json["holdings"] = std::move(all);
  }
  return json;
}

DepositBook::Settled settle(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("learning.log_in_first"));
  const auto challenges = challenges_of(context);
  const Challenge& challenge = challenge_named(request, context, challenges);
  std::optional<std::string> only;
  if (!context.member()->admin) only = context.member()->id;
  return DepositBook(context).settle_due(challenge, today(context), only);
}

}  // namespace

std::vector<Challenge> challenges_of(const sdk::Context& context) {
  return challenges_from(context.site().config().value("challenges", sdk::Json::array()));
}

sdk::Json challenge_listing(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& challenge : challenges_of(context)) {
    // Defence only: the section check refuses a site whose challenge names no offer.
    if (!sdk::flows::find_offer(context, challenge.offer)) continue;
    list.push_back({{"id", challenge.id},
                    {"title", challenge.title},
                    {"days", challenge.rule.days},
                    {"required", challenge.rule.required},
                    {"deposit", sdk::display_price(deposit_offer(context, challenge))},
                    {"url", request.base + "/challenges/" + challenge.id}});
  }
  return list;
}

sdk::Json member_challenges(sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& challenge : challenges_of(context)) {
    if (!sdk::flows::find_offer(context, challenge.offer)) continue;
    sdk::Json json = challenge_json(context, challenge);
    if (json["has_deposits"] == true) list.push_back(std::move(json));
  }
  return list;
}

bool in_a_challenge(sdk::Context& context) {
  if (!context.member()) return false;
  for (const auto& challenge : challenges_of(context)) {
    for (const auto& progress :
         DepositBook(context).progress_of(challenge, context.member()->id, today(context))) {
      if (progress.state == "held" && progress.open) return true;
    }
  }
  return false;
}

sdk::Response challenge_page(const sdk::Request& request, sdk::Context& context) {
  const auto challenges = challenges_of(context);
  const Challenge& challenge = challenge_named(request, context, challenges);
  return sdk::Response::html(context.render_page("challenge", challenge_json(context, challenge)));
}

sdk::Response challenge_api(const sdk::Request& request, sdk::Context& context) {
  const auto challenges = challenges_of(context);
  const Challenge& challenge = challenge_named(request, context, challenges);
  sdk::Json json = challenge_json(context, challenge);
  json.erase("idempotency_key");
  return sdk::Response::json(json);
}

sdk::Response join_challenge(const sdk::Request& request, sdk::Context& context) {
  const auto challenges = challenges_of(context);
  const Challenge& challenge = challenge_named(request, context, challenges);
  if (context.member() && challenge_json(context, challenge)["can_join"] == false) {
    throw sdk::HttpError(409, context.text("learning.challenge_already_in"));
  }
  return sdk::flows::DepositChallenge(challenge.offer).join()(request, context);
}

sdk::Response settle_challenge(const sdk::Request& request, sdk::Context& context) {
  settle(request, context);
  return sdk::Response::redirect(request.base + "/challenges/" + request.params.at("id"));
}

sdk::Response settle_challenge_api(const sdk::Request& request, sdk::Context& context) {
  const auto settled = settle(request, context);
  return sdk::Response::json({{"given_back", settled.given_back},
                              {"forfeited", settled.forfeited},
                              {"failed", settled.failed}});
}

void settle_all_due(sdk::Context& context) {
  for (const auto& challenge : challenges_of(context)) {
    const auto settled = DepositBook(context).settle_due(challenge, today(context));
    if (settled.given_back + settled.forfeited + settled.failed > 0) {
      context.log().info("challenge '" + challenge.id + "': " + std::to_string(settled.given_back) +
                         " deposit(s) given back, " + std::to_string(settled.forfeited) +
                         " forfeited, " + std::to_string(settled.failed) + " to ask again");
    }
  }
}

void on_order_paid(const sdk::Event& event, sdk::Context& context) {
  const std::string offer = event.payload.value("offer", "");
  for (const auto& challenge : challenges_of(context)) {
    if (challenge.offer == offer) {
      DepositBook(context).start_of(challenge, event.payload.at("order").get<std::string>(),
                                    event.payload.at("member").get<std::string>(), today(context));
    }
  }
}

}  // namespace tribe::learning
