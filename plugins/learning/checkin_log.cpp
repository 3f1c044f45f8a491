#include "checkin_log.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace tribe::learning {
namespace {

// "2026-11-23" as a UTC day number (the kernel checked the form before asking).
std::int64_t day_number_of(const std::string& iso) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  std::sscanf(iso.c_str(), "%d-%u-%u", &year, &month, &day);
  const std::chrono::sys_days date{std::chrono::year{year} / month / day};
  return date.time_since_epoch().count();
}

}  // namespace

bool CheckinLog::check_in(const std::string& member_id, DayNumber day, const std::string& note) {
  const sdk::Json key = {{"member_id", member_id}, {"day", day}};
  if (store_.count(kTable, key) > 0) return false;
  try {
    sdk::Json row = key;
    row["note"] = note;
    store_.insert(kTable, row);  // the primary key refuses a second one for the day
  } catch (const sdk::StoreError&) {
    // A concurrent submit of the same day won the key; anything else is a real error.
    if (store_.count(kTable, key) > 0) return false;
    throw;
  }
  return true;
}

bool CheckinLog::checked_in(const std::string& member_id, DayNumber day) {
  return store_.count(kTable, {{"member_id", member_id}, {"day", day}}) > 0;
}

std::vector<DayNumber> CheckinLog::days_of(const std::string& member_id) {
  std::vector<DayNumber> days;
  for (const auto& row : store_.select({kTable, {{"member_id", member_id}}, "day"})) {
    days.push_back(row.at("day").get<DayNumber>());
  }
  return days;
}

std::int64_t CheckinLog::checkins_between(const std::string& from_day, const std::string& to_day) {
  // One equality count per day; the kernel limits a range to 366 days, and so does this loop.
  const std::int64_t first = day_number_of(from_day);
  const std::int64_t last = std::min(day_number_of(to_day), first + 365);
  std::int64_t total = 0;
  for (std::int64_t day = first; day <= last; ++day) total += store_.count(kTable, {{"day", day}});
  return total;
}

DayNumber today(const sdk::Context& context) {
  return std::chrono::floor<std::chrono::days>(context.clock().now()).time_since_epoch().count();
}

std::string iso_date(DayNumber day) {
  const std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::days(day))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace tribe::learning
