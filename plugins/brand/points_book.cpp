#include "points_book.hpp"

#include <chrono>
#include <cstdio>

namespace tribe::brand {
namespace {

constexpr const char* kLog = "brand_points_log";
constexpr const char* kRefunds = "brand_refunds";

// "2026-11-24T09:30:05.123456Z": microseconds, so the history sorts in the order things happened.
std::string now_text(const sdk::Context& context) {
  const auto now = std::chrono::floor<std::chrono::microseconds>(context.clock().now());
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::hh_mm_ss time(now - day);
  char clock[32];
  std::snprintf(clock, sizeof clock, "T%02d:%02d:%02d.%06dZ",
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return iso_date(day) + clock;
}

}  // namespace

void PointsBook::record(const std::string& member, std::int64_t points, const std::string& key,
                        const std::string& reason) {
  if (recorded(key)) return;
  try {
    context_.store().insert(kLog, {{"movement_key", key},
                                   {"member_id", member},
                                   {"points", points},
                                   {"reason", reason},
                                   {"recorded_at", now_text(context_)}});
  } catch (const sdk::StoreError&) {
    if (!recorded(key)) throw;  // a racing delivery recorded it first: fine
  }
}

bool PointsBook::award(const std::string& member, std::int64_t amount, const std::string& key,
                       const std::string& reason) {
  const bool moved = context_.money().award_points(member, amount, key, reason);
  record(member, amount, key, reason);
  return moved;
}

bool PointsBook::spend(const std::string& member, std::int64_t amount, const std::string& key,
                       const std::string& reason) {
  const bool moved = context_.money().spend_points(member, amount, key, reason);
  record(member, -amount, key, reason);
  return moved;
}

bool PointsBook::recorded(const std::string& key) {
  return context_.store().count(kLog, {{"movement_key", key}}) > 0;
}

std::int64_t PointsBook::recorded_points(const std::string& key) {
  const auto row = context_.store().find_one(kLog, {{"movement_key", key}});
  return row ? row->at("points").get<std::int64_t>() : 0;
}

sdk::Json PointsBook::history(const std::string& member, int limit) {
  sdk::Json list = sdk::Json::array();
  for (auto& row : context_.store().select(
           {kLog, {{"member_id", member}}, "recorded_at", /*descending=*/true, limit})) {
    const std::int64_t points = row.at("points").get<std::int64_t>();
    list.push_back({{"key", row.at("movement_key")},
                    {"points", points},
                    {"earned", points > 0},
                    {"display_points", (points > 0 ? "+" : "") + std::to_string(points)},
                    {"reason", row.at("reason")},
                    {"at", row.at("recorded_at").get<std::string>().substr(0, 19)}});
  }
  return list;
}

std::int64_t PointsBook::awards_between(const std::string& from_day, const std::string& to_day) {
  // The store filters by equality only: the rows are read once and their day compared here.
  std::int64_t total = 0;
  sdk::Query query;
  query.table = kLog;
  for (const auto& row : context_.store().select(query)) {
    const std::string day = row.at("recorded_at").get<std::string>().substr(0, 10);
    total += row.at("points").get<std::int64_t>() > 0 && day >= from_day && day <= to_day;
  }
  return total;
}

void PointsBook::on_order_paid(const sdk::Event& event) {
  const std::string order = event.payload.at("order").get<std::string>();
  const std::string offer = event.payload.value("offer", "");
  const std::int64_t points = purchase_points(points_rules_of(context_.site().config()), offer,
                                              event.payload.value("amount", std::int64_t{0}));
  if (points <= 0) return;
  const sdk::Offer* sold = sdk::flows::find_offer(context_, offer);
  award(event.payload.at("member").get<std::string>(), points, order_key(order),
        context_.text("brand.reason_purchase") + " " + (sold ? sold->title : offer));
}

void PointsBook::on_order_refunded(const sdk::Event& event) {
  const std::string order = event.payload.at("order").get<std::string>();
  const std::int64_t awarded = recorded_points(order_key(order));
  if (awarded <= 0 || recorded(refund_key(order))) return;
  const std::string member = event.payload.at("member").get<std::string>();
  sdk::TenantStore& store = context_.store();
  // The amount is fixed in brand_refunds before the spend; the member may be spending while this
  // runs, so a spend refused as short is planned again with what they hold then (a few times; the
  // event is redelivered if it keeps failing).
  for (int attempt = 0; attempt < 5; ++attempt) {
    const auto plan = store.find_one(kRefunds, {{"order_id", order}});
    const std::int64_t amount = plan ? plan->at("points").get<std::int64_t>()
                                     : take_back(awarded, context_.money().points(member));
    if (!plan) {
      try {
        store.insert(kRefunds, {{"order_id", order}, {"points", amount}});
      } catch (const sdk::StoreError&) {
        continue;  // a racing delivery planned it first: use its plan
      }
    }
    if (amount <= 0) return;  // nothing left to take back
    try {
      spend(member, amount, refund_key(order), context_.text("brand.reason_refund"));
      return;
    } catch (const sdk::HttpError& error) {
      if (error.status() != 409) throw;
      const std::int64_t now = take_back(awarded, context_.money().points(member));
      if (now >= amount) throw;  // not short: a key used for another movement
      store.update(kRefunds, {{"order_id", order}, {"points", amount}}, {{"points", now}});
    }
  }
  throw sdk::HttpError(409, "points of refunded order " + order + " could not be taken back yet");
}

}  // namespace tribe::brand
