#pragma once
// The community business loop each site measures (acquire → convert → repurchase → refer): counts
// over a range of UTC days, read from the tables the kernel already keeps (accounts, orders,
// referrals, the ladder), plus the visits the instance counts (VisitTally).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "kernel/store/database.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::money {

// Inclusive UTC days, "2026-11-01" .. "2026-11-30".
struct DayRange {
  std::string from;
  std::string to;
};

// The UTC day of `time`, "2026-11-23".
std::string utc_day(std::chrono::system_clock::time_point time);

// Parses `from` and `to` (YYYY-MM-DD, from <= to, at most 366 days); throws MoneyError naming the
// bad one and the format.
DayRange day_range(const std::string& from, const std::string& to);

class Funnel {
 public:
  explicit Funnel(store::Database& database) : database_(database) {}

  // {"from", "to", "acquire": {visits, referral_arrivals, sign_ups},
  //  "convert": {first_purchases, rate}, "repurchase": {buyers, repeat_buyers, repeat_purchases,
  //  rate}, "refer": {referred_sign_ups, referred_purchases, rate}, "ladder": {fan, member,
  //  partner}} — rates are fractions (null when their base is 0); the ladder is as of now.
  sdk::Json of(const std::string& tenant, const DayRange& range) const;

  // Adds visits counted in memory to the day's row (several nodes add theirs).
  void add_visits(const std::string& tenant, const std::string& day, std::int64_t visits);

 private:
  store::Database& database_;
};

// First visits of browsers (a page GET without Tribe's cookies), counted in memory per site and
// day and written by flush(): a write per request would cost the page benchmark its speed, and a
// visit count lost to a crash between flushes costs no one money.
class VisitTally {
 public:
  void count(const std::string& tenant, std::chrono::system_clock::time_point now);
  // Writes what was counted since the last flush; what fails to write is kept for the next one.
  void flush(Funnel& funnel);

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::int64_t> counts_;  // (tenant, day) -> visits
};

// GET /api/funnel?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the 30 days up to today on the site's
// clock) for the site's admins: Funnel::of with the visits counted so far.
// The steps the site's plugins add (Registry::add_funnel_step), counted over the range: a JSON
// object "<plugin>.<step>" -> count (null for a step that failed).
using PluginStepsOf = std::function<sdk::Json(const std::string& site_id, const DayRange& range)>;
void register_funnel_api(sdk::Registry& registry, Funnel& funnel, VisitTally& visits,
                         PluginStepsOf plugin_steps);

}  // namespace tribe::kernel::money
