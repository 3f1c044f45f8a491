#include "kernel/money/term.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>

#include "kernel/money/money.hpp"

namespace tribe::kernel::money {
namespace {

using std::chrono::sys_days;
using std::chrono::system_clock;

// The designators in the order ISO 8601 writes them, and the part of Term each fills.
struct Part {
  char designator;
  int Term::*field;
};
constexpr Part kParts[] = {
    {'Y', &Term::years}, {'M', &Term::months}, {'W', &Term::weeks}, {'D', &Term::days}};

std::string shown(sys_days day) {
  const std::chrono::year_month_day date(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

// The last whole day system_clock can hold, so an end after it is refused instead of overflowing.
sys_days last_day() {
  return std::chrono::floor<std::chrono::days>(system_clock::time_point::max()) -
         std::chrono::days(1);
}

[[noreturn]] void too_far(sys_days from, const Term& term) {
  throw TermPastClock("the term " + to_string(term) + " from " + shown(from) + " ends after " +
                      shown(last_day()) +
                      ", the last day Tribe's clock can hold; use a shorter term");
}

// The day `months` calendar months after `date`, on the month's last day when the day is missing.
sys_days add_months(std::chrono::year_month_day date, std::int64_t months, const Term& term) {
  const std::int64_t index = static_cast<std::int64_t>(static_cast<int>(date.year())) * 12 +
                             (static_cast<unsigned>(date.month()) - 1) + months;
  const std::int64_t year = index / 12;  // index >= 0: terms only add, from a year after 0
  if (year > static_cast<int>(std::chrono::year_month_day(last_day()).year())) {
    too_far(sys_days(date), term);
  }
  const std::chrono::year to_year(static_cast<int>(year));
  const std::chrono::month to_month(static_cast<unsigned>(index % 12) + 1);
  const std::chrono::year_month_day moved(to_year, to_month, date.day());
  if (moved.ok()) return sys_days(moved);
  return sys_days(std::chrono::year_month_day_last(to_year, std::chrono::month_day_last(to_month)));
}

}  // namespace

std::optional<Term> parse_term(std::string_view iso8601) {
  if (iso8601.size() < 3 || iso8601.front() != 'P') return std::nullopt;
  Term term;
  std::string_view rest = iso8601.substr(1);
  std::size_t next_part = 0;  // designators must come in the order of kParts, each once
  while (!rest.empty()) {
    int value = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    const std::size_t digits = static_cast<std::size_t>(end - rest.data());
    if (error != std::errc() || digits == 0 || digits == rest.size() || rest.front() == '-') {
      return std::nullopt;
    }
    const char designator = rest[digits];
    while (next_part < std::size(kParts) && kParts[next_part].designator != designator) {
      ++next_part;
    }
    if (next_part == std::size(kParts)) return std::nullopt;
    term.*kParts[next_part++].field = value;
    rest.remove_prefix(digits + 1);
  }
  return term;
}

std::string to_string(const Term& term) {
  std::string text = "P";
  for (const Part& part : kParts) {
    if (term.*part.field != 0) text += std::to_string(term.*part.field) + part.designator;
  }
  return text == "P" ? "P0D" : text;
}

system_clock::time_point add_term(system_clock::time_point from, const Term& term) {
  for (const Part& part : kParts) {
    if (term.*part.field < 0) {
      throw MoneyError("the term " + to_string(term) +
                       " has a negative part; a term only adds "
                       "time, e.g. P1M");
    }
  }
  const sys_days day = std::chrono::floor<std::chrono::days>(from);
  const auto time_of_day = from - day;
  const sys_days moved = add_months(std::chrono::year_month_day(day),
                                    std::int64_t{term.years} * 12 + term.months, term);
  const std::int64_t more_days = std::int64_t{term.weeks} * 7 + term.days;
  if (more_days > (last_day() - moved).count()) too_far(day, term);
  return moved + std::chrono::days(more_days) + time_of_day;
}

system_clock::time_point add_term_up_to_last_day(system_clock::time_point from, const Term& term) {
  try {
    return add_term(from, term);
  } catch (const TermPastClock&) {
    return last_day();
  }
}

}  // namespace tribe::kernel::money
