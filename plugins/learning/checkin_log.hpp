#pragma once
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

#include "challenge_rules.hpp"

namespace tribe::learning {

// Daily check-ins (打卡): one row per member and UTC day in learning_checkins, so a second
// check-in the same day is refused by the key itself. A deposit challenge counts the days that
// fall in the member's window.
class CheckinLog {
 public:
  static constexpr const char* kTable = "learning_checkins";

  explicit CheckinLog(sdk::TenantStore& store) : store_(store) {}

  // Records the day. False, changing nothing, when the member already checked in that day (also
  // when a concurrent double submit got there first).
  bool check_in(const std::string& member_id, DayNumber day, const std::string& note);
  bool checked_in(const std::string& member_id, DayNumber day);
  std::vector<DayNumber> days_of(const std::string& member_id);
  // Check-ins from one UTC day to another ("2026-11-01", both included): the funnel step.
  std::int64_t checkins_between(const std::string& from_day, const std::string& to_day);

 private:
  sdk::TenantStore& store_;
};

// Today on the site's clock, as a UTC day number.
DayNumber today(const sdk::Context& context);

// "2026-11-23".
std::string iso_date(DayNumber day);

}  // namespace tribe::learning
