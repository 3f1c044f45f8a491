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
#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::education {
namespace {

namespace fs = std::filesystem;
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

TEST(LessonSchedule, ScheduleProblemsNameTheCourseAndLesson) {
  Course course = weekly_course();
  EXPECT_TRUE(schedule_problems(course).empty());
  course.lessons[2].id = "w1";
  course.lessons[1].day = -1;
  const auto problems = schedule_problems(course);
  ASSERT_EQ(problems.size(), 2u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("two lessons with the id 'w1'")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("lesson 'w2' of course 'story' has day -1")));
  course.lessons.clear();
  EXPECT_THAT(schedule_problems(course), ::testing::ElementsAre(HasSubstr("has no lessons")));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

class EducationPluginTest : public testing::PluginInstanceTest {
 protected:
  EducationPluginTest() : PluginInstanceTest("story-school") {}

  // The 1-based line of `text` in `yaml`, counted here so an expectation can fail on a wrong line.
  static int line_of(const std::string& yaml, const std::string& text) {
    const auto at = yaml.find(text);
    EXPECT_NE(at, std::string::npos) << text;
    return static_cast<int>(
               std::count(yaml.begin(), yaml.begin() + std::min(at, yaml.size()), '\n')) +
           1;
  }
};

TEST_F(EducationPluginTest, ShippedDemoSiteLoadsAndAVisitorSeesTheSyllabusButNoLesson) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), Not(HasSubstr("education.")));  // no offer problems logged
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

TEST_F(EducationPluginTest, CourseNamingAnUnknownOfferOrAScheduleMistakeIsLogged) {
  std::string yaml = shipped_with("      offer: story-course\n", "      offer: story-corse\n");
  const auto at = yaml.find("          day: 2\n");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 17, "          day: -2\n");
  write_site(yaml);
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());  // the schema cannot see it
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), HasSubstr("course 'story' names offer 'story-corse', which is not in "
                                    "the site's offers"));
  EXPECT_THAT(log_.str(), HasSubstr("lesson 'lesson-3' of course 'micro' has day -2"));
  EXPECT_EQ(get(*instance, "/courses/story").status, 404);  // until the YAML is fixed
  EXPECT_EQ(get(*instance, "/courses/micro").status, 200);
}

}  // namespace
}  // namespace tribe::education
