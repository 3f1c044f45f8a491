#include "challenge_rules.hpp"

#include <algorithm>
#include <set>

namespace tribe::learning {

bool ChallengeRule::open(DayNumber start, DayNumber today) const {
  return today >= start && today < start + days;
}

bool ChallengeRule::due(DayNumber start, DayNumber today) const {
  return today >= start + days;
}

int ChallengeRule::counted(DayNumber start, const std::vector<DayNumber>& checkin_days) const {
  std::set<DayNumber> inside;
  for (const DayNumber day : checkin_days) {
    if (open(start, day)) inside.insert(day);
  }
  return static_cast<int>(inside.size());
}

bool ChallengeRule::completed(DayNumber start, const std::vector<DayNumber>& checkin_days) const {
  return counted(start, checkin_days) >= required;
}

int ChallengeRule::days_left(DayNumber start, DayNumber today) const {
  if (due(start, today)) return 0;
  return static_cast<int>(start + days - std::max(start, today));
}

}  // namespace tribe::learning
