#include "kernel/money/funnel.hpp"

#include <soci/soci.h>

#include <cstdio>

#include "kernel/money/money.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/write_transaction.hpp"
#include "tribe/sdk/context.hpp"
#include "tribe/sdk/http.hpp"

namespace tribe::kernel::money {
namespace {

using std::chrono::sys_days;

constexpr int kMaxDays = 366;

std::optional<sys_days> parse_day(const std::string& text) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  char tail = 0;
  if (text.size() != 10 ||
      std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return sys_days(date);
}

std::string day_text(sys_days day) {
  const std::chrono::year_month_day date(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::int64_t seconds_of(sys_days day) {
  return std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch()).count();
}

sdk::Json rate(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return nullptr;
  return static_cast<double>(part) / static_cast<double>(whole);
}

// Paid orders (paid_at set: paid, fulfilled or refunded later) of the tenant.
constexpr const char* kPaid = "o.tenant_id = :tenant AND o.paid_at IS NOT NULL";
// ... that are not their buyer's first paid order.
constexpr const char* kNotFirst =
    " AND EXISTS (SELECT 1 FROM tribe_orders p WHERE p.tenant_id = o.tenant_id"
    " AND p.account_id = o.account_id AND p.paid_at IS NOT NULL"
    " AND (p.paid_at < o.paid_at OR (p.paid_at = o.paid_at AND p.order_id < o.order_id)))";
constexpr const char* kInRange = " AND o.paid_at >= :from AND o.paid_at < :until";

}  // namespace

std::string utc_day(std::chrono::system_clock::time_point time) {
  return day_text(std::chrono::floor<std::chrono::days>(time));
}

DayRange day_range(const std::string& from, const std::string& to) {
  const auto first = parse_day(from);
  const auto last = parse_day(to);
  if (!first)
    throw MoneyError("from '" + from + "' is not a day; give YYYY-MM-DD, e.g. 2026-11-01");
  if (!last) throw MoneyError("to '" + to + "' is not a day; give YYYY-MM-DD, e.g. 2026-11-30");
  if (*last < *first) throw MoneyError("to " + to + " comes before from " + from);
  if ((*last - *first).count() >= kMaxDays) {
    throw MoneyError("from " + from + " to " + to + " spans more than " + std::to_string(kMaxDays) +
                     " days; ask for a year at most");
  }
  return {day_text(*first), day_text(*last)};
}

sdk::Json Funnel::of(const std::string& tenant, const DayRange& range) const {
  const sys_days first = *parse_day(range.from);
  const sys_days after = *parse_day(range.to) + std::chrono::days(1);
  const std::int64_t from = seconds_of(first);
  const std::int64_t until = seconds_of(after);
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  auto count = [&](const std::string& text, std::initializer_list<store::SqlValue> values) {
    auto row = sql.row(text, "i", values);
    return row ? row->integer(0) : 0;
  };
  const std::int64_t visits = count(
      "SELECT CAST(COALESCE(SUM(visits), 0) AS BIGINT) FROM tribe_funnel_visits"
      " WHERE tenant_id = :tenant AND day >= :from AND day <= :to",
      {tenant, range.from, range.to});
  const std::int64_t arrivals = count(
      "SELECT COUNT(*) FROM tribe_referral_touches"
      " WHERE tenant_id = :tenant AND touched_at >= :from AND touched_at < :until",
      {tenant, from, until});
  const std::int64_t sign_ups = count(
      "SELECT COUNT(*) FROM tribe_accounts"
      " WHERE tenant_id = :tenant AND created_at >= :from AND created_at < :until",
      {tenant, range.from + "T00:00:00Z", day_text(after) + "T00:00:00Z"});
  const std::string paid_in_range = std::string(kPaid) + kInRange;
  const std::int64_t purchases =
      count("SELECT COUNT(*) FROM tribe_orders o WHERE " + paid_in_range, {tenant, from, until});
  const std::int64_t buyers =
      count("SELECT COUNT(DISTINCT o.account_id) FROM tribe_orders o WHERE " + paid_in_range,
            {tenant, from, until});
  const std::int64_t repeats =
      count("SELECT COUNT(*) FROM tribe_orders o WHERE " + paid_in_range + kNotFirst,
            {tenant, from, until});
  const std::int64_t repeat_buyers = count(
      "SELECT COUNT(DISTINCT o.account_id) FROM tribe_orders o WHERE " + paid_in_range + kNotFirst,
      {tenant, from, until});
  const std::int64_t referred_sign_ups = count(
      "SELECT COUNT(*) FROM tribe_referrals"
      " WHERE tenant_id = :tenant AND bound_at >= :from AND bound_at < :until",
      {tenant, from, until});
  const std::int64_t referred_purchases =
      count("SELECT COUNT(*) FROM tribe_orders o WHERE " + paid_in_range +
                " AND EXISTS (SELECT 1 FROM tribe_referrals r"
                " WHERE r.tenant_id = o.tenant_id AND r.account_id = o.account_id)",
            {tenant, from, until});
  sdk::Json ladder = {{"fan", 0}, {"member", 0}, {"partner", 0}};
  for (const auto& row : sql.rows("SELECT stage, COUNT(*) FROM tribe_ladder"
                                  " WHERE tenant_id = :tenant GROUP BY stage ORDER BY stage",
                                  "ti", {tenant})) {
    ladder[row.text(0)] = row.integer(1);
  }
  const std::int64_t first_purchases = purchases - repeats;
  return {
      {"from", range.from},
      {"to", range.to},
      {"acquire", {{"visits", visits}, {"referral_arrivals", arrivals}, {"sign_ups", sign_ups}}},
      {"convert",
       {{"first_purchases", first_purchases}, {"rate", rate(first_purchases, sign_ups)}}},
      {"repurchase",
       {{"buyers", buyers},
        {"repeat_buyers", repeat_buyers},
        {"repeat_purchases", repeats},
        {"rate", rate(repeat_buyers, buyers)}}},
      {"refer",
       {{"referred_sign_ups", referred_sign_ups},
        {"referred_purchases", referred_purchases},
        {"rate", rate(referred_sign_ups, sign_ups)}}},
      {"ladder", std::move(ladder)}};
}

void Funnel::add_visits(const std::string& tenant, const std::string& day, std::int64_t visits) {
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  store::WriteTransaction transaction(database_, session);
  sql.change(
      "INSERT INTO tribe_funnel_visits (tenant_id, day, visits) VALUES (:tenant, :day, :n)"
      " ON CONFLICT (tenant_id, day) DO UPDATE"
      " SET visits = tribe_funnel_visits.visits + excluded.visits",
      {tenant, day, visits});
  transaction.commit();
}

void VisitTally::count(const std::string& tenant, std::chrono::system_clock::time_point now) {
  const std::string day = utc_day(now);
  std::lock_guard lock(mutex_);
  ++counts_[{tenant, day}];
}

void VisitTally::flush(Funnel& funnel) {
  std::map<std::pair<std::string, std::string>, std::int64_t> counted;
  {
    std::lock_guard lock(mutex_);
    counted.swap(counts_);
  }
  for (auto it = counted.begin(); it != counted.end();) {
    try {
      funnel.add_visits(it->first.first, it->first.second, it->second);
      it = counted.erase(it);
    } catch (...) {
      ++it;  // kept below for the next flush
    }
  }
  std::lock_guard lock(mutex_);
  for (const auto& [key, visits] : counted) counts_[key] += visits;
}

void register_funnel_api(sdk::Registry& registry, Funnel& funnel, VisitTally& visits,
                         PluginStepsOf plugin_steps) {
  registry.add_route(
      {sdk::Method::Get, "/api/funnel",
       [&funnel, &visits, plugin_steps](const sdk::Request& request, sdk::Context& context) {
         const sdk::Member* member = context.member();
         if (!member) throw sdk::HttpError(401, "log in first");
         if (!member->admin) throw sdk::HttpError(403, "only a site admin sees the funnel");
         const auto today = std::chrono::floor<std::chrono::days>(context.clock().now());
         auto asked = [&](const char* name, const std::string& otherwise) {
           auto value = request.query.find(name);
           return value == request.query.end() ? otherwise : value->second;
         };
         DayRange range;
         try {
           range = day_range(asked("from", day_text(today - std::chrono::days(29))),
                             asked("to", day_text(today)));
         } catch (const MoneyError& e) {
           throw sdk::HttpError(400, e.what());
         }
         visits.flush(funnel);
         sdk::Json answer = funnel.of(context.site().id(), range);
         answer["site"] = context.site().id();
         answer["steps"] = plugin_steps(context.site().id(), range);
         return sdk::Response::json(answer);
       }});
}

}  // namespace tribe::kernel::money
