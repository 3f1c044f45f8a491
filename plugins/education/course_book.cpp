#include "course_book.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace tribe::education {
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

std::optional<DayNumber> CourseBook::recorded_start(const std::string& member_id,
                                                    const std::string& course_id) {
  auto row = store_.find_one(kEnrolments, {{"member_id", member_id}, {"course_id", course_id}});
  if (!row) return std::nullopt;
  return row->at("start_day").get<DayNumber>();
}

DayNumber CourseBook::start_of(const std::string& member_id, const std::string& course_id,
                               DayNumber today) {
  if (auto start = recorded_start(member_id, course_id)) return *start;
  try {
    store_.insert(kEnrolments,
                  {{"member_id", member_id}, {"course_id", course_id}, {"start_day", today}});
  } catch (const sdk::StoreError&) {
    // Recorded concurrently (the event and a page at once): the first one stands.
    if (!recorded_start(member_id, course_id)) throw;
  }
  return *recorded_start(member_id, course_id);
}

bool CourseBook::mark_done(const std::string& member_id, const std::string& course_id,
                           const std::string& lesson_id, DayNumber today) {
  const sdk::Json key = {
      {"member_id", member_id}, {"course_id", course_id}, {"lesson_id", lesson_id}};
  if (store_.count(kDone, key) > 0) return false;
  try {
    sdk::Json row = key;
    row["day"] = today;
    store_.insert(kDone, row);  // the primary key refuses a second one
  } catch (const sdk::StoreError&) {
    if (store_.count(kDone, key) > 0) return false;  // a concurrent submit won the key
    throw;
  }
  return true;
}

std::set<std::string> CourseBook::done_lessons(const std::string& member_id,
                                               const std::string& course_id) {
  std::set<std::string> done;
  sdk::Query query;
  query.table = kDone;
  query.where = {{"member_id", member_id}, {"course_id", course_id}};
  for (const auto& row : store_.select(query)) done.insert(row.at("lesson_id").get<std::string>());
  return done;
}

std::int64_t CourseBook::done_between(const std::string& from_day, const std::string& to_day) {
  // One equality count per day; the kernel limits a range to 366 days, and so does this loop.
  const std::int64_t first = day_number_of(from_day);
  const std::int64_t last = std::min(day_number_of(to_day), first + 365);
  std::int64_t total = 0;
  for (std::int64_t day = first; day <= last; ++day) total += store_.count(kDone, {{"day", day}});
  return total;
}

DayNumber today(const sdk::Context& context) {
  return std::chrono::floor<std::chrono::days>(context.clock().now()).time_since_epoch().count();
}

}  // namespace tribe::education
