#pragma once
// The course pages: the syllabus for everyone, each lesson for a course holder once it is released
// for them, lessons marked done, and the learner's progress (page and JSON).
#include <tribe/sdk/sdk.hpp>

#include "lesson_schedule.hpp"

namespace tribe::education {

std::vector<Course> courses_of(const sdk::Context& context);

// The courses for the home page and /api/courses: price, lesson count, whether the member holds
// each, and a fresh key for its Buy form.
sdk::Json course_listing(const sdk::Request& request, sdk::Context& context);

// GET /courses/{id}: the syllabus (lesson titles and summaries) for everyone; for a holder each
// lesson's opening day, whether it is done, and the progress; for the others the Join button.
sdk::Response course_page(const sdk::Request& request, sdk::Context& context);

// POST /courses/{id}/join: orders the course's offer, then checkout.
sdk::Response join_course(const sdk::Request& request, sdk::Context& context);

// GET /courses/{id}/lessons/{lesson}: 200 with the lesson for a holder once released; 403 with the
// Join button for the others, 403 with "opens on <date>" before its day.
sdk::Response lesson_page(const sdk::Request& request, sdk::Context& context);

// POST /courses/{id}/lessons/{lesson}/done: marks a released lesson done (403 for a non-holder,
// 409 before its day), then back to the course (303).
sdk::Response mark_done(const sdk::Request& request, sdk::Context& context);

// GET /progress and /api/progress: the member's courses with done / released / total.
sdk::Response progress_page(const sdk::Request& request, sdk::Context& context);
sdk::Response progress_api(const sdk::Request& request, sdk::Context& context);
// GET /api/courses/{id}/progress: one course's progress for the member (401 for a visitor).
sdk::Response course_progress_api(const sdk::Request& request, sdk::Context& context);

// order.paid: a paid course starts its schedule for the buyer today (the first start stands).
void on_order_paid(const sdk::Event& event, sdk::Context& context);

}  // namespace tribe::education
