#include "cohort_pages.hpp"

#include <chrono>

#include "checkin_log.hpp"

namespace tribe::learning {
namespace {

const sdk::Offer& offer_of(sdk::Context& context, const Cohort& cohort) {
  const sdk::Offer* offer = sdk::flows::find_offer(context, cohort.offer);
  if (!offer) throw sdk::HttpError(404, context.text("learning.cohort_not_sold"));
  return *offer;
}

// The entitlement a seat gives: the offer's first grant ("" when it grants nothing).
std::string seat_key(const sdk::Offer& offer) {
  return offer.grants.empty() ? std::string() : offer.grants.front();
}

std::string until_text(const sdk::Access& access) {
  if (!access.ends_at) return "";
  return iso_date(
      std::chrono::floor<std::chrono::days>(*access.ends_at).time_since_epoch().count());
}

int offer_next_days(const sdk::Context& context) {
  return context.site().config().value("offer_next_days", 7);
}

// A cohort as buyers see it: dates, price and seats, and a fresh key for its Buy form.
sdk::Json cohort_offer_json(sdk::Context& context, const Cohort& cohort) {
  const sdk::Offer& offer = offer_of(context, cohort);
  const auto left = sdk::flows::SeatReservation(offer.id).seats_left(context);
  return {{"id", cohort.id},
          {"title", cohort.title},
          {"starts", cohort.starts},
          {"ends", cohort.ends},
          {"description", cohort.description},
          {"offer_title", offer.title},
          {"price", sdk::display_price(offer)},
          {"term", offer.term.value_or("")},
          {"limited", left.has_value()},
          {"seats_left", left ? sdk::Json(*left) : sdk::Json()},
          {"sold_out", left && *left <= 0},
          {"idempotency_key", sdk::flows::fresh_idempotency_key()}};
}

// The next cohort to offer after `cohort`, when the member's seat in it ends soon or has ended and
// they hold no seat in the next one yet.
std::optional<sdk::Json> next_offer(sdk::Context& context, const CohortSequence& sequence,
                                    const Cohort& cohort, const sdk::Access& seat) {
  const Cohort* next = sequence.next_after(cohort.id);
  if (!next) return std::nullopt;
  if (!offer_next_now(seat.ends_at, context.clock().now(), offer_next_days(context))) {
    return std::nullopt;
  }
  const sdk::Offer& offer = offer_of(context, *next);
  if (!seat_key(offer).empty() && context.entitled(seat_key(offer))) return std::nullopt;
  return cohort_offer_json(context, *next);
}

}  // namespace

CohortSequence cohorts_of(const sdk::Context& context) {
  return CohortSequence(context.site().config().value("cohorts", sdk::Json::array()));
}

sdk::Json cohort_listing(const sdk::Request& request, sdk::Context& context) {
  const CohortSequence sequence = cohorts_of(context);
  sdk::Json list = sdk::Json::array();
  for (const auto& cohort : sequence.all()) {
    // Defence only: the section check refuses a site whose cohort names no offer.
    if (!sdk::flows::find_offer(context, cohort.offer)) continue;
    sdk::Json item = cohort_offer_json(context, cohort);
    item["url"] = request.base + "/cohorts/" + cohort.id;
    list.push_back(std::move(item));
  }
  return list;
}

sdk::Json member_cohorts(sdk::Context& context) {
  const CohortSequence sequence = cohorts_of(context);
  sdk::Json list = sdk::Json::array();
  for (const auto& cohort : sequence.all()) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, cohort.offer);
    // Defence only: the section check refuses a site whose cohort names no offer.
    if (!offer) continue;
    const sdk::Access seat = sdk::flows::Subscription(offer->id).status(context);
    if (!seat.ends_at && !seat.active) continue;  // never had a seat
    sdk::Json item = {{"id", cohort.id},
                      {"title", cohort.title},
                      {"active", seat.active},
                      {"until", until_text(seat)}};
    auto next = next_offer(context, sequence, cohort, seat);
    item["has_next"] = next.has_value();
    item["next"] = next ? *next : sdk::Json();
    list.push_back(std::move(item));
  }
  return list;
}

bool in_a_cohort(sdk::Context& context) {
  const CohortSequence sequence = cohorts_of(context);
  for (const auto& cohort : sequence.all()) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, cohort.offer);
    if (offer && !seat_key(*offer).empty() && context.entitled(seat_key(*offer))) return true;
  }
  return false;
}

sdk::Response cohort_page(const sdk::Request& request, sdk::Context& context) {
  const CohortSequence sequence = cohorts_of(context);
  const Cohort* cohort = sequence.find(request.params.at("id"));
  if (!cohort) throw sdk::HttpError(404, context.text("learning.cohort_not_found"));
  const sdk::Offer& offer = offer_of(context, *cohort);
  if (!context.member())
    return sdk::Response::redirect(request.base + "/login?next=" + request.path);
  const sdk::Access seat = sdk::flows::Subscription(offer.id).status(context);
  auto next = next_offer(context, sequence, *cohort, seat);
  if (seat_key(offer).empty() || !context.entitled(seat_key(offer))) {
    // No seat (never bought, or the term is over): the way in, and after a seat the next cohort.
    sdk::Json data = cohort_offer_json(context, *cohort);
    data["has_next"] = next.has_value();
    data["next"] = next ? *next : sdk::Json();
    return sdk::Response::html(context.render_page("cohort_join", data), 403);
  }
  return sdk::Response::html(context.render_page("cohort", {{"title", cohort->title},
                                                            {"starts", cohort->starts},
                                                            {"ends", cohort->ends},
                                                            {"description", cohort->description},
                                                            {"members_note", cohort->members_note},
                                                            {"until", until_text(seat)},
                                                            {"has_next", next.has_value()},
                                                            {"next", next ? *next : sdk::Json()}}));
}

sdk::Response join_cohort(const sdk::Request& request, sdk::Context& context) {
  const CohortSequence sequence = cohorts_of(context);
  const Cohort* cohort = sequence.find(request.params.at("id"));
  if (!cohort) throw sdk::HttpError(404, context.text("learning.cohort_not_found"));
  return sdk::flows::SeatReservation(cohort->offer).reserve()(request, context);
}

}  // namespace tribe::learning
