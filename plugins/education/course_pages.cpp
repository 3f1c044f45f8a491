#include "course_pages.hpp"

#include "course_book.hpp"

namespace tribe::education {
namespace {

const Course& course_or_404(const std::vector<Course>& courses, const std::string& id,
                            sdk::Context& context) {
  const Course* course = find_course(courses, id);
  if (!course || !sdk::flows::find_offer(context, course->offer)) {
    throw sdk::HttpError(404, context.text("education.course_not_found"));
  }
  return *course;
}

const Lesson& lesson_or_404(const Course& course, const std::string& id, sdk::Context& context) {
  const Lesson* lesson = find_lesson(course, id);
  if (!lesson) throw sdk::HttpError(404, context.text("education.lesson_not_found"));
  return *lesson;
}

// The entitlement the course gives: its offer's first grant ("" when it grants nothing).
std::string course_key(sdk::Context& context, const Course& course) {
  const sdk::Offer* offer = sdk::flows::find_offer(context, course.offer);
  return offer && !offer->grants.empty() ? offer->grants.front() : std::string();
}

bool holds(sdk::Context& context, const Course& course) {
  const std::string key = course_key(context, course);
  return context.member() && !key.empty() && context.entitled(key);
}

// The learner's start: recorded on the first sight of a held course; nullopt for who never held
// it (nothing is recorded for them).
std::optional<DayNumber> start_for(sdk::Context& context, const Course& course) {
  if (!context.member()) return std::nullopt;
  CourseBook book(context.store());
  if (holds(context, course)) return book.start_of(context.member()->id, course.id, today(context));
  return book.recorded_start(context.member()->id, course.id);
}

// Paragraphs for the lesson page; the template escapes each one.
sdk::Json paragraphs(const std::string& body) {
  sdk::Json list = sdk::Json::array();
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    const std::string text = body.substr(start, end - start);
    const auto first = text.find_first_not_of(" \n\t");
    if (first != std::string::npos) {
      const auto last = text.find_last_not_of(" \n\t");
      list.push_back({{"text", text.substr(first, last - first + 1)}});
    }
    start = end + 2;
  }
  return list;
}

sdk::Json offer_json(sdk::Context& context, const Course& course) {
  const sdk::Offer& offer = *sdk::flows::find_offer(context, course.offer);
  return {{"offer", offer.id},
          {"offer_title", offer.title},
          {"price", sdk::display_price(offer)},
          {"term", offer.term.value_or("")},
          {"idempotency_key", sdk::flows::fresh_idempotency_key()}};
}

sdk::Json progress_json(const Progress& progress) {
  return {{"done", progress.done}, {"released", progress.released}, {"total", progress.total}};
}

// The course as its learner stands in it: holder, start, each lesson's state, the counts.
sdk::Json learner_json(const sdk::Request& request, sdk::Context& context, const Course& course) {
  const bool holder = holds(context, course);
  const std::optional<DayNumber> start = start_for(context, course);
  const DayNumber now = today(context);
  const std::set<std::string> done =
      context.member() ? CourseBook(context.store()).done_lessons(context.member()->id, course.id)
                       : std::set<std::string>();
  sdk::Json lessons = sdk::Json::array();
  for (const auto& lesson : course.lessons) {
    sdk::Json item = {{"id", lesson.id},
                      {"title", lesson.title},
                      {"summary", lesson.summary},
                      {"day", lesson.day},
                      {"url", request.base + "/courses/" + course.id + "/lessons/" + lesson.id},
                      {"done", done.count(lesson.id) > 0}};
    if (start) {
      item["opens"] = iso_date(opens_on(lesson, *start));
      item["released"] = released(lesson, *start, now);
    } else {
      item["released"] = false;
    }
    lessons.push_back(std::move(item));
  }
  const Progress progress = start ? progress_of(course, *start, now, done)
                                  : Progress{0, 0, static_cast<int>(course.lessons.size())};
  sdk::Json json = progress_json(progress);
  json["id"] = course.id;
  json["title"] = course.title;
  json["holder"] = holder;
  json["started"] = start ? sdk::Json(iso_date(*start)) : sdk::Json();
  json["lessons"] = std::move(lessons);
  json["url"] = request.base + "/courses/" + course.id;
  return json;
}

}  // namespace

std::vector<Course> courses_of(const sdk::Context& context) {
  return courses_from(context.site().config().value("courses", sdk::Json::array()));
}

sdk::Json course_listing(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& course : courses_of(context)) {
    // Defence only: the section check refuses a site whose course names no offer.
    if (!sdk::flows::find_offer(context, course.offer)) continue;
    sdk::Json item = offer_json(context, course);
    item["id"] = course.id;
    item["title"] = course.title;
    item["description"] = course.description;
    item["lessons"] = course.lessons.size();
    item["holder"] = holds(context, course);
    item["url"] = request.base + "/courses/" + course.id;
    list.push_back(std::move(item));
  }
  return list;
}

sdk::Response course_page(const sdk::Request& request, sdk::Context& context) {
  const auto courses = courses_of(context);
  const Course& course = course_or_404(courses, request.params.at("id"), context);
  sdk::Json data = learner_json(request, context, course);
  data.update(offer_json(context, course));
  data["description"] = course.description;
  data["logged_in"] = context.member() != nullptr;
  return sdk::Response::html(context.render_page("course", data));
}

sdk::Response join_course(const sdk::Request& request, sdk::Context& context) {
  const auto courses = courses_of(context);
  const Course& course = course_or_404(courses, request.params.at("id"), context);
  return sdk::flows::Subscription(course.offer).subscribe()(request, context);
}

sdk::Response lesson_page(const sdk::Request& request, sdk::Context& context) {
  const auto courses = courses_of(context);
  const Course& course = course_or_404(courses, request.params.at("id"), context);
  const Lesson& lesson = lesson_or_404(course, request.params.at("lesson"), context);
  sdk::Json data = offer_json(context, course);
  data["course_id"] = course.id;
  data["course_title"] = course.title;
  data["id"] = lesson.id;
  data["title"] = lesson.title;
  data["summary"] = lesson.summary;
  if (!holds(context, course)) {  // visitors and members without the course: the way in
    data["holder"] = false;
    return sdk::Response::html(context.render_page("lesson_closed", data), 403);
  }
  const DayNumber start = *start_for(context, course);
  data["holder"] = true;
  if (!released(lesson, start, today(context))) {
    data["opens"] = iso_date(opens_on(lesson, start));
    return sdk::Response::html(context.render_page("lesson_closed", data), 403);
  }
  data["paragraphs"] = paragraphs(lesson.body);
  data["done"] =
      CourseBook(context.store()).done_lessons(context.member()->id, course.id).count(lesson.id) >
      0;
  return sdk::Response::html(context.render_page("lesson", data));
}

sdk::Response mark_done(const sdk::Request& request, sdk::Context& context) {
  const auto courses = courses_of(context);
  const Course& course = course_or_404(courses, request.params.at("id"), context);
  const Lesson& lesson = lesson_or_404(course, request.params.at("lesson"), context);
  const std::string back = request.base + "/courses/" + course.id;
  if (!context.member())
    return sdk::Response::redirect(request.base + "/login?next=/courses/" + course.id);
  if (!holds(context, course)) throw sdk::HttpError(403, context.text("education.not_a_holder"));
  const DayNumber start = *start_for(context, course);
  if (!released(lesson, start, today(context))) {
    throw sdk::HttpError(
        409, context.text("education.not_released_yet") + " " + iso_date(opens_on(lesson, start)));
  }
  CourseBook(context.store()).mark_done(context.member()->id, course.id, lesson.id, today(context));
  return sdk::Response::redirect(back);
}

namespace {

// The courses the member holds or held (a start was recorded), each with its progress.
sdk::Json member_courses(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& course : courses_of(context)) {
    if (!sdk::flows::find_offer(context, course.offer)) continue;
    sdk::Json item = learner_json(request, context, course);
    if (item["holder"] == false && item["started"].is_null()) continue;
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace

sdk::Response progress_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/progress");
  sdk::Json courses = member_courses(request, context);
  const bool has_courses = !courses.empty();
  return sdk::Response::html(context.render_page(
      "progress", {{"courses", std::move(courses)}, {"has_courses", has_courses}}));
}

sdk::Response progress_api(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("education.log_in_first"));
  return sdk::Response::json(
      {{"today", iso_date(today(context))}, {"courses", member_courses(request, context)}});
}

sdk::Response course_progress_api(const sdk::Request& request, sdk::Context& context) {
  const auto courses = courses_of(context);
  const Course& course = course_or_404(courses, request.params.at("id"), context);
  if (!context.member()) throw sdk::HttpError(401, context.text("education.log_in_first"));
  return sdk::Response::json(learner_json(request, context, course));
}

void on_order_paid(const sdk::Event& event, sdk::Context& context) {
  const std::string offer = event.payload.value("offer", "");
  const std::string member = event.payload.value("member", "");
  if (offer.empty() || member.empty()) return;
  for (const auto& course : courses_of(context)) {
    if (course.offer == offer)
      CourseBook(context.store()).start_of(member, course.id, today(context));
  }
}

}  // namespace tribe::education
