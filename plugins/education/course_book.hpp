#pragma once
// A learner's course in the plugin's tables: when it started for them (education_enrolments, the
// first sight of the paid course stands) and the lessons they marked done
// (education_lessons_done, once each).
#include <set>
#include <string>
#include <tribe/sdk/sdk.hpp>

#include "lesson_schedule.hpp"

namespace tribe::education {

class CourseBook {
 public:
  static constexpr const char* kEnrolments = "education_enrolments";
  static constexpr const char* kDone = "education_lessons_done";

  explicit CourseBook(sdk::TenantStore& store) : store_(store) {}

  // The learner's start in the course; recorded as `today` when first seen (also when the
  // order.paid event and a page race: the first one stands).
  DayNumber start_of(const std::string& member_id, const std::string& course_id, DayNumber today);
  // The start when one was recorded.
  std::optional<DayNumber> recorded_start(const std::string& member_id,
                                          const std::string& course_id);

  // Marks the lesson done; false, changing nothing, when it was done before.
  bool mark_done(const std::string& member_id, const std::string& course_id,
                 const std::string& lesson_id, DayNumber today);
  std::set<std::string> done_lessons(const std::string& member_id, const std::string& course_id);
  // Lessons marked done from one UTC day to another ("2026-11-01", both included): the funnel
  // step.
  std::int64_t done_between(const std::string& from_day, const std::string& to_day);

 private:
  sdk::TenantStore& store_;
};

// Today on the site's clock, as a UTC day number.
DayNumber today(const sdk::Context& context);

}  // namespace tribe::education
