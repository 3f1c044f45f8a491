#include "checkin_log.hpp"

#include <chrono>
#include <cstdio>

namespace tribe::learning {

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
