#pragma once
#include <cstdint>
#include <vector>

namespace tribe::learning {

// Days are UTC calendar days counted from 1970-01-01 (what sys_days holds).
using DayNumber = std::int64_t;

// A deposit challenge's rule: check in on `required` of the `days` days that start on the day the
// member's deposit is recorded (their window). The window is the member's own, so a member may
// join on any day.
struct ChallengeRule {
  int days = 0;
  int required = 0;

  // Whether `today` lies in the window that starts on `start`.
  bool open(DayNumber start, DayNumber today) const;
  // Whether the window is over, so the deposit can be settled: from day `start + days` on.
  bool due(DayNumber start, DayNumber today) const;
  // How many distinct check-in days fall inside the window (days outside it, and repeats, do
  // not count).
  int counted(DayNumber start, const std::vector<DayNumber>& checkin_days) const;
  // Whether enough days were checked in: the deposit comes back.
  bool completed(DayNumber start, const std::vector<DayNumber>& checkin_days) const;
  // Days of the window still to come, today included (0 once it is over).
  int days_left(DayNumber start, DayNumber today) const;
};

}  // namespace tribe::learning
