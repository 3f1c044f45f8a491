#include "lesson_schedule.hpp"

#include <chrono>
#include <cstdio>

namespace tribe::education {

std::vector<Course> courses_from(const sdk::Json& list) {
  std::vector<Course> courses;
  if (!list.is_array()) return courses;
  for (const auto& item : list) {
    Course course{item.value("id", ""),
                  item.value("title", ""),
                  item.value("offer", ""),
                  item.value("description", ""),
                  {}};
    for (const auto& lesson : item.value("lessons", sdk::Json::array())) {
      course.lessons.push_back({lesson.value("id", ""), lesson.value("title", ""),
                                lesson.value("day", 0), lesson.value("summary", ""),
                                lesson.value("body", "")});
    }
    courses.push_back(std::move(course));
  }
  return courses;
}

const Course* find_course(const std::vector<Course>& courses, const std::string& id) {
  for (const auto& course : courses) {
    if (course.id == id) return &course;
  }
  return nullptr;
}

const Lesson* find_lesson(const Course& course, const std::string& id) {
  for (const auto& lesson : course.lessons) {
    if (lesson.id == id) return &lesson;
  }
  return nullptr;
}

DayNumber opens_on(const Lesson& lesson, DayNumber start) {
  return start + lesson.day;
}

bool released(const Lesson& lesson, DayNumber start, DayNumber today) {
  return today >= opens_on(lesson, start);
}

Progress progress_of(const Course& course, DayNumber start, DayNumber today,
                     const std::set<std::string>& done_lessons) {
  Progress progress;
  for (const auto& lesson : course.lessons) {
    ++progress.total;
    progress.released += released(lesson, start, today);
    progress.done += done_lessons.count(lesson.id) > 0;
  }
  return progress;
}

std::vector<sdk::SectionProblem> schedule_problems(const Course& course) {
  std::vector<sdk::SectionProblem> problems;
  if (course.lessons.empty()) {
    problems.push_back({"lessons", "course '" + course.id + "' has no lessons; add at least one"});
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < course.lessons.size(); ++i) {
    const Lesson& lesson = course.lessons[i];
    const std::string path = "lessons[" + std::to_string(i) + "]";
    if (!seen.insert(lesson.id).second) {
      problems.push_back({path + ".id", "course '" + course.id + "' has two lessons with the id '" +
                                            lesson.id +
                                            "'; lesson ids must differ within a course"});
    }
    if (lesson.day < 0) {
      problems.push_back({path + ".day", "lesson '" + lesson.id + "' of course '" + course.id +
                                             "' has day " + std::to_string(lesson.day) +
                                             "; use 0 (the learner's first day) or later"});
    }
  }
  return problems;
}

std::string iso_date(DayNumber day) {
  const std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::days(day))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace tribe::education
