#include "checkins.hpp"

#include <algorithm>
#include <cstdio>

namespace tribe::interest {
namespace {

std::int64_t day_number(std::chrono::sys_days day) {
  return day.time_since_epoch().count();
}

// A streak row as read, with `current` dropped to 0 once a whole day was missed.
Streak live_streak(const sdk::Json& row, std::chrono::sys_days today) {
  const std::int64_t last = row.at("last_day").get<std::int64_t>();
  const std::int64_t now = day_number(today);
  Streak streak;
  streak.longest = row.at("longest").get<int>();
  streak.total = row.at("total").get<int>();
  streak.checked_in_today = last == now;
  streak.current = last >= now - 1 ? row.at("streak").get<int>() : 0;
  return streak;
}

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

std::string iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::int64_t CheckinBook::checkins_between(const std::string& from_day, const std::string& to_day) {
  // One equality count per day; the kernel limits a range to 366 days, and so does this loop.
  const std::int64_t first = day_number_of(from_day);
  const std::int64_t last = std::min(day_number_of(to_day), first + 365);
  std::int64_t total = 0;
  for (std::int64_t day = first; day <= last; ++day)
    total += store_.count(kCheckins, {{"day", day}});
  return total;
}

bool CheckinBook::check_in(const sdk::Member& member, std::chrono::sys_days today,
                           const std::string& note) {
  const sdk::Json day_key = {{"member_id", member.id}, {"day", day_number(today)}};
  if (store_.count(kCheckins, day_key) > 0) return false;
  try {
    store_.transaction([&](sdk::TenantStore& store) {
      sdk::Json row = day_key;
      row["note"] = note;
      store.insert(kCheckins, row);  // the primary key refuses a second one for the day
      const sdk::Json member_key = {{"member_id", member.id}};
      auto previous = store.find_one(kStreaks, member_key);
      const bool continues =
          previous && previous->at("last_day").get<std::int64_t>() == day_number(today) - 1;
      const int current = continues ? previous->at("streak").get<int>() + 1 : 1;
      const sdk::Json values = {
          {"display_name", member.display_name},
          {"streak", current},
          {"longest", std::max(current, previous ? previous->at("longest").get<int>() : 0)},
          {"total", (previous ? previous->at("total").get<int>() : 0) + 1},
          {"last_day", day_number(today)}};
      if (previous) {
        store.update(kStreaks, member_key, values);
      } else {
        sdk::Json inserted = values;
        inserted["member_id"] = member.id;
        store.insert(kStreaks, inserted);
      }
    });
  } catch (const sdk::StoreError&) {
    // A concurrent submit of the same day won the primary key; anything else is a real error.
    if (store_.count(kCheckins, day_key) > 0) return false;
    throw;
  }
  return true;
}

Streak CheckinBook::streak_of(const std::string& member_id, std::chrono::sys_days today) {
  auto row = store_.find_one(kStreaks, {{"member_id", member_id}});
  return row ? live_streak(*row, today) : Streak{};
}

std::vector<StreakLeader> CheckinBook::leaders(std::chrono::sys_days today, std::size_t limit) {
  std::vector<StreakLeader> leaders;
  for (const auto day : {today, today - std::chrono::days(1)}) {
    sdk::Query query{
        kStreaks, {{"last_day", day_number(day)}}, "streak", true, static_cast<int>(limit)};
    for (const auto& row : store_.select(query)) {
      leaders.push_back({row.at("member_id").get<std::string>(),
                         row.at("display_name").get<std::string>(), row.at("streak").get<int>()});
    }
  }
  std::stable_sort(leaders.begin(), leaders.end(),
                   [](const auto& a, const auto& b) { return a.current > b.current; });
  if (leaders.size() > limit) leaders.resize(limit);
  return leaders;
}

}  // namespace tribe::interest
