// The education plugin's rules (lessons released on a schedule from the learner's start, progress
// counts), and the plugin loaded from its .so into a real kernel instance: its YAML section checked
// with file:line:col, the shipped demo site served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../lesson_schedule.hpp"
#include "../section_check.hpp"
#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::education {
namespace {

using testing::line_of;
using testing::shown;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// --- the release schedule ---------------------------------------------------------------------

Course weekly_course() {
  return courses_from(sdk::Json::parse(R"([
    {"id": "story", "title": "Story", "offer": "story-course", "description": "four weeks",
     "lessons": [
       {"id": "w1", "title": "One", "day": 0, "summary": "s1", "body": "b1"},
       {"id": "w2", "title": "Two", "day": 7, "body": "b2"},
       {"id": "w3", "title": "Three", "day": 14, "body": "b3"}]}])"))
      .at(0);
}

TEST(LessonSchedule, CoursesAndLessonsComeFromTheSectionInOrder) {
  const Course course = weekly_course();
  EXPECT_EQ(course.id, "story");
  EXPECT_EQ(course.offer, "story-course");
  ASSERT_EQ(course.lessons.size(), 3u);
  EXPECT_EQ(course.lessons[0].summary, "s1");
  EXPECT_EQ(course.lessons[1].day, 7);
  EXPECT_EQ(course.lessons[2].body, "b3");
  ASSERT_NE(find_lesson(course, "w2"), nullptr);
  EXPECT_EQ(find_lesson(course, "w2")->title, "Two");
  EXPECT_EQ(find_lesson(course, "w4"), nullptr);
  const std::vector<Course> courses = {course};
  EXPECT_NE(find_course(courses, "story"), nullptr);
  EXPECT_EQ(find_course(courses, "micro"), nullptr);
  EXPECT_TRUE(courses_from(sdk::Json()).empty());
}

TEST(LessonSchedule, ALessonOpensOnItsDayAfterTheLearnersStartAndNotTheDayBefore) {
  const Course course = weekly_course();
  const DayNumber start = 20000;
  const Lesson& second = course.lessons[1];
  EXPECT_EQ(opens_on(second, start), start + 7);
  EXPECT_TRUE(released(course.lessons[0], start, start));  // day 0: at once
  EXPECT_FALSE(released(second, start, start + 6));
  EXPECT_TRUE(released(second, start, start + 7));
  EXPECT_TRUE(released(second, start, start + 30));
  EXPECT_FALSE(released(course.lessons[0], start, start - 1));  // not before the start
  // Another learner who started later waits from their own start.
  EXPECT_FALSE(released(second, start + 3, start + 7));
  EXPECT_EQ(iso_date(20415), "2025-11-23");
  EXPECT_EQ(iso_date(opens_on(second, 20415)), "2025-11-30");  // a week later
}

TEST(LessonSchedule, ProgressCountsDoneReleasedAndTotalOfThisCourseOnly) {
  const Course course = weekly_course();
  const DayNumber start = 20000;
  Progress progress = progress_of(course, start, start, {});
  EXPECT_EQ(progress.done, 0);
  EXPECT_EQ(progress.released, 1);
  EXPECT_EQ(progress.total, 3);
  progress = progress_of(course, start, start + 7, {"w1"});
  EXPECT_EQ(progress.done, 1);
  EXPECT_EQ(progress.released, 2);
  // A lesson id no longer in the course (removed from the YAML) counts for nothing.
  progress = progress_of(course, start, start + 14, {"w1", "w2", "gone"});
  EXPECT_EQ(progress.done, 2);
  EXPECT_EQ(progress.released, 3);
  EXPECT_EQ(progress.total, 3);
}

TEST(LessonSchedule, ScheduleProblemsNameTheCourseAndLessonByTheirPath) {
  Course course = weekly_course();
  EXPECT_TRUE(schedule_problems(course).empty());
  course.lessons[2].id = "w1";
  course.lessons[1].day = -1;
  EXPECT_THAT(shown(schedule_problems(course)),
              ElementsAre("lessons[1].day: lesson 'w2' of course 'story' has day -1; use 0 (the "
                          "learner's first day) or later",
                          "lessons[2].id: course 'story' has two lessons with the id 'w1'; lesson "
                          "ids must differ within a course"));
  course.lessons.clear();
  EXPECT_THAT(shown(schedule_problems(course)),
              ElementsAre("lessons: course 'story' has no lessons; add at least one"));
}

// --- the section check ------------------------------------------------------------------------

sdk::Offer offer(const std::string& id, std::vector<std::string> grants = {}) {
  sdk::Offer made;
  made.id = id;
  made.grants = std::move(grants);
  return made;
}

// A course offer granting its lessons' key, a book of the mall.
std::vector<sdk::Offer> school_offers() {
  return {offer("story-course", {"course.story"}), offer("books")};
}

sdk::Json school_section() {
  return sdk::Json::parse(R"({
    "courses": [{"id": "story", "title": "Story", "offer": "story-course", "lessons": [
                  {"id": "w1", "title": "One", "day": 0, "body": "b1"},
                  {"id": "w2", "title": "Two", "day": 7, "body": "b2"}]}],
    "mall": ["books"]})");
}

TEST(EducationSectionCheck, AConsistentSectionHasNoProblems) {
  EXPECT_THAT(section_problems(school_section(), school_offers()), ::testing::IsEmpty());
  EXPECT_THAT(section_problems(sdk::Json::object(), {}), ::testing::IsEmpty());
}

TEST(EducationSectionCheck, UnknownOffersAnOfferGrantingNothingAndScheduleMistakesAreNamedByPath) {
  sdk::Json section = school_section();
  section["courses"][0]["offer"] = "story-corse";
  section["courses"][0]["lessons"][1]["day"] = -7;
  section["courses"].push_back(
      {{"id", "micro"}, {"title", "Micro"}, {"offer", "books"}, {"lessons", sdk::Json::array()}});
  section["mall"].push_back("bookz");
  EXPECT_THAT(
      shown(section_problems(section, school_offers())),
      ElementsAre("courses[0].offer: no offer 'story-corse' on this site; did you mean "
                  "'story-course'?",
                  "courses[0].lessons[1].day: lesson 'w2' of course 'story' has day -7; use 0 "
                  "(the learner's first day) or later",
                  "courses[1].offer: the offer 'books' grants nothing, so no one could open the "
                  "course's lessons; give it e.g. grants: [course.micro]",
                  "courses[1].lessons: course 'micro' has no lessons; add at least one",
                  "mall[1]: no offer 'bookz' on this site; did you mean 'books'?"));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

class EducationPluginTest : public testing::PluginInstanceTest {
 protected:
  EducationPluginTest() : PluginInstanceTest("story-school") {}
};

TEST_F(EducationPluginTest, ShippedDemoSiteLoadsAndAVisitorSeesTheSyllabusButNoLesson) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  const auto home = get(*instance, "/");
  ASSERT_EQ(home.status, 200) << log_.str();
  EXPECT_THAT(home.body, HasSubstr("微课 · 三天学会讲睡前故事"));
  EXPECT_THAT(home.body, HasSubstr("9.90 CNY"));
  const auto course = get(*instance, "/courses/story");
  ASSERT_EQ(course.status, 200);
  EXPECT_THAT(course.body, HasSubstr("第 2 周 · 把故事讲生动"));   // the syllabus
  EXPECT_THAT(course.body, HasSubstr("声音、表情和动作"));         // its summary
  EXPECT_THAT(course.body, Not(HasSubstr("好的讲述者会用声音")));  // never a body
  EXPECT_THAT(course.body, HasSubstr("/courses/story/join"));
  const auto lesson = get(*instance, "/courses/story/lessons/week-1");
  EXPECT_EQ(lesson.status, 403);
  EXPECT_THAT(lesson.body, HasSubstr("报名"));  // the Join button, in the Chinese catalogue
  EXPECT_THAT(lesson.body, Not(HasSubstr("零到三岁的孩子")));
  EXPECT_EQ(get(*instance, "/courses/story/lessons/week-9").status, 404);
  EXPECT_EQ(get(*instance, "/courses/none").status, 404);
  EXPECT_EQ(get(*instance, "/api/progress").status, 401);
  EXPECT_EQ(get(*instance, "/api/courses/story/progress").status, 401);
  EXPECT_EQ(get(*instance, "/progress").status, 303);  // a visitor logs in first
  const auto courses = get(*instance, "/api/courses");
  ASSERT_EQ(courses.status, 200);
  const sdk::Json list = sdk::Json::parse(courses.body)["courses"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1]["lessons"], 4);
  const auto shop = get(*instance, "/shop");
  EXPECT_THAT(shop.body, HasSubstr("经典绘本套装"));
  EXPECT_THAT(shop.body, HasSubstr("库存: 50"));
}

TEST_F(EducationPluginTest, MisspeltKeyInTheSectionIsReportedWithItsPosition) {
  const std::string yaml =
      shipped_with("          summary: 声音、表情和动作。", "          sumary: 声音、表情和动作。");
  write_site(yaml);
  auto instance = load();
  const auto lines = problems(*instance);
  const int line = line_of(yaml, "sumary: 声音");
  EXPECT_THAT(lines, ::testing::Contains(::testing::MatchesRegex(
                         ".*story-school\\.yaml:" + std::to_string(line) +
                         ":11: education\\.courses\\[1\\]\\.lessons\\[1\\]\\.sumary: "
                         "unknown key 'sumary'; did you mean 'summary'\\?")))
      << ::testing::PrintToString(lines);
}

TEST_F(EducationPluginTest, WrongTypeAndMissingKeyInTheSectionAreReportedWithTheirPositions) {
  std::string yaml = shipped_with("          day: 7\n", "          day: 一周后\n");
  const auto at = yaml.find("          body: |\n            睡前故事要短");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 18, "          bod: |\n");
  write_site(yaml);
  auto instance = load();
  const auto lines = problems(*instance);
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr(
                         "story-school.yaml:" + std::to_string(line_of(yaml, "day: 一周后")) +
                         ":16: education.courses[1].lessons[1].day: expected an integer")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines, ::testing::Contains(
                         HasSubstr("education.courses[0].lessons[0].body: missing required key "
                                   "'body'")))
      << ::testing::PrintToString(lines);
}

// What the schema cannot see (a course naming an offer the site does not sell, a lesson released
// before the learner starts) is the plugin's section check: file:line:col errors at the key, with
// a did-you-mean, and the site is not served until the YAML is fixed.
TEST_F(EducationPluginTest, OfferAndScheduleMistakesAreReportedAtTheirKeysAndTheSiteIsNotServed) {
  std::string yaml = shipped_with("      offer: story-course\n", "      offer: story-corse\n");
  const auto at = yaml.find("          day: 2\n");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 17, "          day: -2\n");
  write_site(yaml);
  auto instance = load();
  EXPECT_THAT(
      problems(*instance),
      ElementsAre(
          HasSubstr("story-school.yaml:" + std::to_string(line_of(yaml, "day: -2")) +
                    ":16: education.courses[0].lessons[2].day: lesson 'lesson-3' of course "
                    "'micro' has day -2; use 0 (the learner's first day) or later"),
          HasSubstr("story-school.yaml:" + std::to_string(line_of(yaml, "offer: story-corse")) +
                    ":14: education.courses[1].offer: no offer 'story-corse' on this site; did "
                    "you mean 'story-course'?")))
      << log_.str();
  EXPECT_TRUE(instance->site_configs().empty());
}

}  // namespace
}  // namespace tribe::education
