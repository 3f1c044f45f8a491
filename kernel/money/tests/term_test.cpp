// Offer terms: the ISO 8601 durations the site YAML allows, and calendar arithmetic in UTC.
#include "kernel/money/term.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kernel/money/money.hpp"

namespace tribe::kernel::money {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

system_clock::time_point at(year_month_day day, system_clock::duration time_of_day = 10h + 30min) {
  return sys_days(day) + time_of_day;
}

system_clock::time_point plus(year_month_day day, const std::string& term) {
  const auto parsed = parse_term(term);
  if (!parsed) throw std::invalid_argument("test term " + term + " does not parse");
  return add_term(at(day), *parsed);
}

TEST(TermTest, ParsesEachPartAndTheirCombinations) {
  EXPECT_EQ(parse_term("P1Y"), (Term{1, 0, 0, 0}));
  EXPECT_EQ(parse_term("P6M"), (Term{0, 6, 0, 0}));
  EXPECT_EQ(parse_term("P2W"), (Term{0, 0, 2, 0}));
  EXPECT_EQ(parse_term("P30D"), (Term{0, 0, 0, 30}));
  EXPECT_EQ(parse_term("P1Y2M3W4D"), (Term{1, 2, 3, 4}));
  EXPECT_EQ(parse_term("P1M15D"), (Term{0, 1, 0, 15}));
  EXPECT_EQ(parse_term("P012M"), (Term{0, 12, 0, 0}));
  EXPECT_EQ(parse_term("P0D"), (Term{0, 0, 0, 0}));
}

TEST(TermTest, RefusesWhatTheSiteYamlRefuses) {
  for (const char* bad : {"", "P", "1Y", "p1Y", "P1", "PY", "P1Y1Y", "P1D1M", "P1H", "PT1H",
                          "P1.5Y", "P-1D", "P+1D", "P1Y ", " P1Y", "P1YX", "P99999999999D"}) {
    EXPECT_FALSE(parse_term(bad).has_value()) << bad;
  }
}

TEST(TermTest, PrintsTheShortestText) {
  EXPECT_EQ(to_string(Term{1, 2, 0, 4}), "P1Y2M4D");
  EXPECT_EQ(to_string(Term{0, 0, 2, 0}), "P2W");
  EXPECT_EQ(to_string(Term{}), "P0D");
  EXPECT_EQ(parse_term(to_string(Term{3, 0, 1, 9})), (Term{3, 0, 1, 9}));
}

TEST(TermTest, AMonthFromAMonthEndEndsOnTheLastDayOfTheShorterMonth) {
  EXPECT_EQ(plus(2027y / January / 31, "P1M"), at(2027y / February / 28));
  EXPECT_EQ(plus(2028y / January / 31, "P1M"), at(2028y / February / 29));  // leap year
  EXPECT_EQ(plus(2027y / March / 31, "P1M"), at(2027y / April / 30));
  EXPECT_EQ(plus(2027y / August / 31, "P6M"), at(2028y / February / 29));
  EXPECT_EQ(plus(2027y / January / 30, "P1M"), at(2027y / February / 28));
  EXPECT_EQ(plus(2027y / February / 28, "P1M"), at(2027y / March / 28));  // no snap to month end
}

TEST(TermTest, YearsCrossLeapDays) {
  EXPECT_EQ(plus(2028y / February / 29, "P1Y"), at(2029y / February / 28));
  EXPECT_EQ(plus(2028y / February / 29, "P4Y"), at(2032y / February / 29));
  EXPECT_EQ(plus(2027y / March / 1, "P1Y"), at(2028y / March / 1));
  EXPECT_EQ(plus(2027y / January / 15, "P12M"), plus(2027y / January / 15, "P1Y"));
  EXPECT_EQ(plus(2027y / December / 15, "P1M"), at(2028y / January / 15));
  EXPECT_EQ(plus(2027y / November / 30, "P1Y3M"), at(2029y / February / 28));
}

TEST(TermTest, WeeksAndDaysCountAfterTheMonths) {
  EXPECT_EQ(plus(2027y / January / 15, "P2W"), at(2027y / January / 29));
  EXPECT_EQ(plus(2028y / February / 20, "P10D"), at(2028y / March / 1));  // over Feb 29
  EXPECT_EQ(plus(2027y / February / 20, "P10D"), at(2027y / March / 2));
  // Months first: January 31 + 1 month = February 28, then + 1 day.
  EXPECT_EQ(plus(2027y / January / 31, "P1M1D"), at(2027y / March / 1));
  EXPECT_EQ(plus(2027y / January / 31, "P1W3D"), at(2027y / February / 10));
  EXPECT_EQ(plus(2027y / December / 25, "P1W"), at(2028y / January / 1));
}

TEST(TermTest, KeepsTheTimeOfDayToTheNanosecond) {
  const auto from = sys_days(2027y / January / 31) + 23h + 59min + 59s + 123456789ns;
  EXPECT_EQ(add_term(from, Term{0, 1, 0, 0}),
            sys_days(2027y / February / 28) + 23h + 59min + 59s + 123456789ns);
  EXPECT_EQ(add_term(from, Term{}), from);
}

TEST(TermTest, RefusesNegativePartsAndEndsPastTheClock) {
  const auto from = at(2027y / January / 15);
  try {
    add_term(from, Term{0, -1, 0, 0});
    FAIL() << "a negative month was added";
  } catch (const MoneyError& e) {
    EXPECT_THAT(e.what(), HasSubstr("negative part"));
  }
  try {
    add_term(from, Term{300, 0, 0, 0});
    FAIL() << "an end after 2262 was computed";
  } catch (const MoneyError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the term P300Y from 2027-01-15 ends after 2262-"));
    EXPECT_THAT(e.what(), HasSubstr("use a shorter term"));
  }
  EXPECT_THROW(add_term(from, Term{0, 0, 0, 2'000'000'000}), MoneyError);
  EXPECT_THROW(add_term(from, Term{0, 2'000'000'000, 0, 0}), MoneyError);
  EXPECT_EQ(add_term(from, Term{200, 0, 0, 0}), at(2227y / January / 15));
}

TEST(TermTest, AnExtensionPastTheClockEndsOnItsLastDay) {
  const auto from = at(2261y / November / 23);
  EXPECT_THROW(add_term(from, Term{1, 0, 0, 0}), TermPastClock);
  const auto capped = add_term_up_to_last_day(from, Term{1, 0, 0, 0});
  EXPECT_GT(capped, from);
  EXPECT_EQ(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(capped)).year(),
            2262y);
  EXPECT_GE(capped, add_term(from, Term{0, 4, 0, 0}));  // April 2262 is still held
  // Within the clock's reach it is add_term.
  EXPECT_EQ(add_term_up_to_last_day(at(2027y / January / 15), Term{0, 1, 0, 0}),
            at(2027y / February / 15));
}

}  // namespace
}  // namespace tribe::kernel::money
