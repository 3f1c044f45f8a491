#pragma once
// Courses and their lessons released on a schedule: each lesson opens a number of days after the
// learner's start (lesson 1 on day 0, lesson 2 on day 7, ...). Plain functions over UTC day
// numbers, so the schedule and the progress counts are tested without a server.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::education {

// Days since 1970-01-01 (UTC).
using DayNumber = std::int64_t;

struct Lesson {
  std::string id;
  std::string title;
  int day = 0;          // released this many days after the learner's start
  std::string summary;  // the syllabus line everyone sees
  std::string body;     // shown to a course holder once released
};

struct Course {
  std::string id;
  std::string title;
  std::string offer;  // the offer selling the course; its first grant is the key
  std::string description;
  std::vector<Lesson> lessons;  // in the YAML's order
};

// The courses of the YAML's `courses` list, in order.
std::vector<Course> courses_from(const sdk::Json& list);
const Course* find_course(const std::vector<Course>& courses, const std::string& id);
const Lesson* find_lesson(const Course& course, const std::string& id);

// The day the lesson opens for a learner who started on `start`.
DayNumber opens_on(const Lesson& lesson, DayNumber start);
// Whether it is open on `today` (its opening day included).
bool released(const Lesson& lesson, DayNumber start, DayNumber today);

// A learner's standing in one course: lessons done (only those of the course), released, total.
struct Progress {
  int done = 0;
  int released = 0;
  int total = 0;
};
Progress progress_of(const Course& course, DayNumber start, DayNumber today,
                     const std::set<std::string>& done_lessons);

// What the schema cannot see in one course's schedule: duplicate lesson ids, a negative day, a
// course without lessons. Each by its path within the course ("lessons[1].day") and a sentence
// naming the course and lesson (the section check reports them under "courses[i].").
std::vector<sdk::SectionProblem> schedule_problems(const Course& course);

// "2026-11-23".
std::string iso_date(DayNumber day);

}  // namespace tribe::education
