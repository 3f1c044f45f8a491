#pragma once
#include <chrono>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::interest {

// A member's run of daily check-ins. Days are UTC calendar days.
struct Streak {
  int current = 0;  // consecutive days up to today, or up to yesterday when today is still open
  int longest = 0;
  int total = 0;
  bool checked_in_today = false;
};

struct StreakLeader {
  std::string member_id;
  std::string display_name;
  int current = 0;
};

// Daily check-ins with streaks (the reading club's "打卡"): one check-in per member and day in
// interest_checkins, and each member's running streak in interest_streaks, written in one
// transaction so the streak always agrees with the days.
class CheckinBook {
 public:
  static constexpr const char* kCheckins = "interest_checkins";
  static constexpr const char* kStreaks = "interest_streaks";

  explicit CheckinBook(sdk::TenantStore& store) : store_(store) {}

  // Records today's check-in. Returns false, changing nothing, when the member already checked in
  // today (also when a concurrent double submit got there first).
  bool check_in(const sdk::Member& member, std::chrono::sys_days today, const std::string& note);

  Streak streak_of(const std::string& member_id, std::chrono::sys_days today);

  // Members whose streak is alive (checked in today or yesterday), longest current streak first.
  std::vector<StreakLeader> leaders(std::chrono::sys_days today, std::size_t limit);

  // Check-ins from one UTC day to another ("2026-11-01", both included): the funnel step.
  std::int64_t checkins_between(const std::string& from_day, const std::string& to_day);

 private:
  sdk::TenantStore& store_;
};

// "2026-11-23".
std::string iso_date(std::chrono::sys_days day);

}  // namespace tribe::interest
