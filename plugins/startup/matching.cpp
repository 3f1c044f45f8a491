#include "matching.hpp"

#include <algorithm>

#include "club_rules.hpp"

namespace tribe::startup {
namespace {

constexpr const char* kProfiles = "startup_profiles";
constexpr const char* kMatches = "startup_matches";

std::string intro_offer(const sdk::Context& context) {
  return context.site().config().value("intro_offer", "intro-fee");
}

const sdk::Member& member_or_401(sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("startup.log_in_first"));
  return *context.member();
}

std::optional<sdk::Json> profile_of(sdk::Context& context, const std::string& member_id) {
  return context.store().find_one(kProfiles, {{"member_id", member_id}});
}

sdk::Json match_or_404(sdk::Context& context, const std::string& match_id) {
  auto row = context.store().find_one(kMatches, {{"match_id", match_id}});
  const std::string& me = member_or_401(context).id;
  if (!row || (row->at("requester_id") != me && row->at("responder_id") != me)) {
    throw sdk::HttpError(404, context.text("startup.match_not_found"));
  }
  return *row;
}

// The member's requests, both directions, newest first.
std::vector<sdk::Json> matches_of(sdk::Context& context, const std::string& member_id) {
  std::vector<sdk::Json> rows;
  for (const char* column : {"requester_id", "responder_id"}) {
    sdk::Query query;
    query.table = kMatches;
    query.where = {{column, member_id}};
    for (auto& row : context.store().select(query)) rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const sdk::Json& a, const sdk::Json& b) {
    return a.at("requested_at").get<std::string>() > b.at("requested_at").get<std::string>();
  });
  return rows;
}

sdk::Json public_profile(const sdk::Json& row) {
  return {{"member", row.at("member_id")},
          {"side", row.at("side")},
          {"investor", row.at("side") == "investor"},
          {"name", row.at("name")},
          {"about", row.at("about")}};
}

// The sectors a profile's member chose for their side (an investor's focus, a project's sector).
std::vector<std::string> profile_sectors(sdk::Context& context, const sdk::Json& row) {
  return sectors_of(context.tags_of(row.at("member_id").get<std::string>()),
                    row.at("side").get<std::string>());
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

sdk::Json match_data(sdk::Context& context) {
  const sdk::Member& me = *context.member();
  const auto mine = profile_of(context, me.id);
  const sdk::Offer* fee = sdk::flows::find_offer(context, intro_offer(context));
  sdk::Json data = {{"has_profile", mine.has_value()},
                    {"intro_fee", fee ? sdk::display_price(*fee) : ""}};
  data["profile"] = mine ? *mine : sdk::Json();
  if (mine) {
    data["profile"].erase("member_id");
    data["profile"]["investor"] = mine->at("side") == "investor";
  }
  const std::vector<std::string> my_sectors =
      mine ? profile_sectors(context, *mine) : std::vector<std::string>{};
  data["sectors"] = my_sectors;
  data["sectors_text"] = joined(my_sectors);
  data["has_sectors"] = !my_sectors.empty();
  const auto requests = matches_of(context, me.id);
  std::vector<sdk::Json> others;
  if (mine) {
    sdk::Query query;
    query.table = kProfiles;
    query.order_by = "name";
    for (const auto& row : context.store().select(query)) {
      if (row.at("member_id") == me.id || row.at("side") == mine->at("side")) continue;
      bool open = false;  // a request between the two that is not declined
      for (const auto& match : requests) {
        open = open || ((match.at("requester_id") == row.at("member_id") ||
                         match.at("responder_id") == row.at("member_id")) &&
                        match.at("state") != "declined");
      }
      const auto sectors = profile_sectors(context, row);
      const auto fits = shared_sectors(my_sectors, sectors);
      sdk::Json item = public_profile(row);
      item["may_request"] = !open;
      item["sectors"] = sectors;
      item["sectors_text"] = joined(sectors);
      item["has_sectors"] = !sectors.empty();
      item["fits"] = fits;
      item["fits_text"] = joined(fits);
      item["fit"] = !fits.empty();
      others.push_back(std::move(item));
    }
  }
  // Profiles sharing a sector with the member's first (an investor's focus, a project's sector),
  // by name within each.
  std::stable_sort(others.begin(), others.end(), [](const sdk::Json& a, const sdk::Json& b) {
    return a.at("fit").get<bool>() && !b.at("fit").get<bool>();
  });
  data["has_others"] = !others.empty();
  data["others"] = others;
  sdk::Json list = sdk::Json::array();
  for (const auto& match : requests) {
    const bool requester = match.at("requester_id") == me.id;
    const std::string state = match.at("state").get<std::string>();
    const std::string other_id =
        (requester ? match.at("responder_id") : match.at("requester_id")).get<std::string>();
    const auto other = profile_of(context, other_id);
    sdk::Json item = {
        {"id", match.at("match_id")},
        {"role", requester ? "requester" : "responder"},
        {"state", state},
        {"requested_at", match.at("requested_at")},
        {"can_accept", next_match_state(state, requester, MatchAction::Accept).has_value()},
        {"can_decline", next_match_state(state, requester, MatchAction::Decline).has_value()},
        {"can_pay", requester && intro_fee_due(state)},
        {"waiting_for_fee", !requester && intro_fee_due(state)},
        {"paid", contacts_visible(state)}};
    item["other"] = other ? public_profile(*other) : sdk::Json::object();
    if (other && contacts_visible(state)) item["other"]["contact"] = other->at("contact");
    item["idempotency_key"] = "intro-" + match.at("match_id").get<std::string>();
    list.push_back(std::move(item));
  }
  data["has_matches"] = !list.empty();
  data["matches"] = std::move(list);
  return data;
}

// Moves the match by `action` of the member asking, in one compare-and-set.
sdk::Response act(const sdk::Request& request, sdk::Context& context, MatchAction action) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/match");
  const sdk::Json match = match_or_404(context, request.params.at("id"));
  const std::string state = match.at("state").get<std::string>();
  const bool requester = match.at("requester_id") == context.member()->id;
  const auto next = next_match_state(state, requester, action);
  if (!next ||
      context.store().update(kMatches, {{"match_id", match.at("match_id")}, {"state", state}},
                             {{"state", *next}}) != 1) {
    throw sdk::HttpError(409, context.text("startup.match_not_now"));
  }
  return sdk::Response::redirect(request.base + "/match");
}

}  // namespace

sdk::Response match_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/match");
  return sdk::Response::html(context.render_page("match", match_data(context)));
}

sdk::Response match_api(const sdk::Request&, sdk::Context& context) {
  member_or_401(context);
  sdk::Json data = match_data(context);
  for (auto& item : data["matches"]) item.erase("idempotency_key");
  return sdk::Response::json(data);
}

sdk::Response save_profile(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/match");
  const std::string side = request.field("side");
  const std::string name = request.field("name");
  const std::string about = request.field("about");
  const std::string contact = request.field("contact");
  if (!valid_side(side) || name.empty() || characters(name) > 60 || about.empty() ||
      characters(about) > 500 || contact.empty() || characters(contact) > 120) {
    throw sdk::HttpError(400, context.text("startup.profile_fields"));
  }
  const std::string& me = context.member()->id;
  const sdk::Json values = {{"side", side}, {"name", name}, {"about", about}, {"contact", contact}};
  context.store().transaction([&](sdk::TenantStore& store) {
    if (store.find_one(kProfiles, {{"member_id", me}})) {
      store.update(kProfiles, {{"member_id", me}}, values);
    } else {
      sdk::Json row = values;
      row["member_id"] = me;
      store.insert(kProfiles, row);
    }
  });
  // The side is the member's role on the site (role:investor or role:founder), for offers and
  // other plugins to go by; saving again with the other side moves it.
  context.set_tag(me, role_tag(side == "investor" ? "project" : "investor"), false);
  context.set_tag(me, role_tag(side), true);
  return sdk::Response::redirect(request.base + "/match");
}

sdk::Response request_match(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/match");
  const std::string& me = context.member()->id;
  const std::string to = request.field("to");
  const auto mine = profile_of(context, me);
  if (!mine) throw sdk::HttpError(409, context.text("startup.profile_first"));
  const auto theirs = profile_of(context, to);
  if (!theirs ||
      !sides_match(mine->at("side").get<std::string>(), theirs->at("side").get<std::string>())) {
    throw sdk::HttpError(404, context.text("startup.profile_not_found"));
  }
  // One open request per pair (a declined one may be asked again).
  for (const auto& match : matches_of(context, me)) {
    if ((match.at("requester_id") == to || match.at("responder_id") == to) &&
        match.at("state") != "declined") {
      throw sdk::HttpError(409, context.text("startup.match_exists"));
    }
  }
  context.store().insert(kMatches, {{"match_id", sdk::flows::fresh_idempotency_key()},
                                    {"requester_id", me},
                                    {"responder_id", to},
                                    {"state", "requested"},
                                    {"requested_at", time_text(context.clock().now())}});
  return sdk::Response::redirect(request.base + "/match");
}

sdk::Response accept_match(const sdk::Request& request, sdk::Context& context) {
  return act(request, context, MatchAction::Accept);
}

sdk::Response decline_match(const sdk::Request& request, sdk::Context& context) {
  return act(request, context, MatchAction::Decline);
}

sdk::Response pay_intro(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/match");
  const sdk::Json match = match_or_404(context, request.params.at("id"));
  if (match.at("requester_id") != context.member()->id ||
      !intro_fee_due(match.at("state").get<std::string>())) {
    throw sdk::HttpError(409, context.text("startup.intro_not_due"));
  }
  if (!sdk::flows::find_offer(context, intro_offer(context))) {
    throw sdk::HttpError(404, context.text("startup.no_intro_offer"));
  }
  // One order per match, whatever the form's key: paying twice pays the same order.
  const std::string match_id = match.at("match_id").get<std::string>();
  const sdk::OrderTicket ticket =
      context.money().order(intro_offer(context), "intro-" + match_id, 1);
  context.store().update(kMatches, {{"match_id", match_id}}, {{"order_id", ticket.id}});
  return sdk::Response::redirect(request.base + ticket.checkout_path);
}

void on_intro_paid(const sdk::Event& event, sdk::Context& context) {
  const std::string order = event.payload.value("order", "");
  if (order.empty() || event.payload.value("offer", "") != intro_offer(context)) return;
  context.store().update(kMatches, {{"order_id", order}, {"state", "accepted"}},
                         {{"state", "paid"}});
}

}  // namespace tribe::startup
