#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/money/money.hpp"

namespace tribe::kernel::money {

// How long an offer's grant runs: the site YAML's `term`, an ISO 8601 duration of years, months,
// weeks and days ("P1Y", "P6M", "P2W", "P1M15D").
struct Term {
  int years = 0, months = 0, weeks = 0, days = 0;
  bool operator==(const Term&) const = default;
};

// P[nY][nM][nW][nD], at least one part, the parts in that order, each a decimal number that fits
// an int: what the site YAML allows (kernel/config/offers.cpp). nullopt for anything else.
std::optional<Term> parse_term(std::string_view iso8601);

// The shortest ISO 8601 text of `term` ("P1Y2M", "P0D" for an empty one).
std::string to_string(const Term& term);

// `from` plus the term, in calendar arithmetic in UTC: years and months first, onto the last day
// of the month when the day does not exist there (P1M from January 31 ends on the last day of
// February), then weeks and days; the time of day stays. Throws MoneyError for a negative part
// or an end past what system_clock can hold (the year 2262).
std::chrono::system_clock::time_point add_term(std::chrono::system_clock::time_point from,
                                               const Term& term);

// What add_term throws when the end lies past the last day the clock holds.
class TermPastClock : public MoneyError {
 public:
  using MoneyError::MoneyError;
};

// add_term, or the last day the clock holds when the end would lie past it: for extending a
// grant that was paid for, where refusing would leave a payment that can never apply (a member
// who renewed for centuries keeps access to the year 2262).
std::chrono::system_clock::time_point add_term_up_to_last_day(
    std::chrono::system_clock::time_point from, const Term& term);

}  // namespace tribe::kernel::money
