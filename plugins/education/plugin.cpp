// The education plugin: a children's-story education brand (after the seeds' 凯叔讲故事 example).
// Courses whose lessons are released on a schedule from each learner's start, progress per
// learner, a cheap micro-course as the way in, and a micro-mall of books and tools with stock.
#include <string>
#include <tribe/sdk/sdk.hpp>

#include "course_book.hpp"
#include "course_pages.hpp"
#include "section_check.hpp"

namespace tribe::education {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto lesson = Schema::object({
      required("id", Schema::string(), "URL name of the lesson, e.g. lesson-1"),
      required("title", Schema::string()),
      required("day", Schema::integer(),
               "released this many days after the learner's start (0: at once)"),
      optional("summary", Schema::string(), "the syllabus line everyone sees"),
      required("body", Schema::string(),
               "shown to course holders once released; blank lines separate paragraphs"),
  });
  auto course = Schema::object({
      required("id", Schema::string(), "URL name of the course, e.g. bedtime-stories"),
      required("title", Schema::string()),
      required("offer", Schema::string(),
               "the offer selling the course: its first grant is the key to the lessons"),
      optional("description", Schema::string(), "shown to everyone"),
      required("lessons", Schema::list_of(lesson), "in order, each with its release day"),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("courses", Schema::list_of(course), "the courses, the entry micro-course first"),
      optional("mall", Schema::list_of(Schema::string()),
               "offer ids the micro-mall sells (books, tools); an offer's capacity is its stock"),
  });
}

// --- the home page and the course list --------------------------------------------------------

sdk::Response home(const sdk::Request& request, sdk::Context& context) {
  sdk::Json courses = course_listing(request, context);
  const bool has_courses = !courses.empty();
  return sdk::Response::html(
      context.render_page("home", {{"tagline", context.site().config().value("tagline", "")},
                                   {"courses", std::move(courses)},
                                   {"has_courses", has_courses}}));
}

sdk::Response api_courses(const sdk::Request& request, sdk::Context& context) {
  sdk::Json courses = course_listing(request, context);
  for (auto& item : courses) item.erase("idempotency_key");
  return sdk::Response::json({{"site", context.site().id()}, {"courses", std::move(courses)}});
}

// --- the micro-mall ---------------------------------------------------------------------------

std::vector<const sdk::Offer*> mall_offers(sdk::Context& context) {
  std::vector<const sdk::Offer*> offers;
  for (const auto& id : context.site().config().value("mall", sdk::Json::array())) {
    if (const sdk::Offer* offer = sdk::flows::find_offer(context, id.get<std::string>())) {
      offers.push_back(offer);
    }
  }
  return offers;
}

sdk::Json mall_listing(sdk::Context& context) {
  sdk::Json products = sdk::Json::array();
  for (const sdk::Offer* offer : mall_offers(context)) {
    const auto left = context.money().seats_left(offer->id);
    products.push_back(
        {{"id", offer->id},
         {"title", offer->title},
         {"description", offer->description},
         {"price", sdk::display_price(*offer)},
         {"limited", left.has_value()},
         {"stock", left ? sdk::Json(*left) : sdk::Json()},
         {"owned", context.member() && sdk::flows::SellOnce(offer->id).owned(context)},
         {"sold_out", left && *left <= 0},
         {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  return products;
}

sdk::Response shop_page(const sdk::Request&, sdk::Context& context) {
  sdk::Json products = mall_listing(context);
  const bool has_products = !products.empty();
  return sdk::Response::html(context.render_page(
      "shop", {{"products", std::move(products)}, {"has_products", has_products}}));
}

sdk::Response shop_api(const sdk::Request&, sdk::Context& context) {
  sdk::Json products = mall_listing(context);
  for (auto& item : products) item.erase("idempotency_key");
  return sdk::Response::json({{"site", context.site().id()}, {"products", std::move(products)}});
}

// Orders one of the mall's products (stock never oversells: the kernel refuses with 409).
sdk::Response buy_product(const sdk::Request& request, sdk::Context& context) {
  const std::string& id = request.params.at("id");
  for (const sdk::Offer* offer : mall_offers(context)) {
    if (offer->id == id) return sdk::flows::SellOnce(id).buy()(request, context);
  }
  throw sdk::HttpError(404, context.text("education.product_not_found"));
}

class EducationPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"education", "a precise subject: courses released on a schedule, progress, a micro-mall"});
    registry.set_config_schema(section_schema());
    // What the schema cannot see (a course's or the mall's unknown offer, a course offer that
    // grants nothing, a schedule mistake): file:line:col errors, so such a site is not served
    // until its YAML is fixed.
    registry.set_section_check(section_problems);
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    // A paid course starts its release schedule for the buyer that day.
    registry.on_event("order.paid", on_order_paid);
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/api/courses", api_courses});
    registry.add_route({sdk::Method::Get, "/courses/{id}", course_page});
    registry.add_route({sdk::Method::Post, "/courses/{id}/join", join_course});
    registry.add_route({sdk::Method::Get, "/courses/{id}/lessons/{lesson}", lesson_page});
    registry.add_route({sdk::Method::Post, "/courses/{id}/lessons/{lesson}/done", mark_done});
    registry.add_funnel_step(
        "lessons_done", [](sdk::Context& context, const std::string& from, const std::string& to) {
          return CourseBook(context.store()).done_between(from, to);
        });
    registry.add_route({sdk::Method::Get, "/api/courses/{id}/progress", course_progress_api});
    registry.add_route({sdk::Method::Get, "/progress", progress_page});
    registry.add_route({sdk::Method::Get, "/api/progress", progress_api});
    registry.add_route({sdk::Method::Get, "/shop", shop_page});
    registry.add_route({sdk::Method::Get, "/api/shop", shop_api});
    registry.add_route({sdk::Method::Post, "/shop/{id}/buy", buy_product});
  }
};

}  // namespace
}  // namespace tribe::education

TRIBE_PLUGIN(tribe::education::EducationPlugin, "education", "0.1.0", "education",
             "Education communities: courses with lessons released on a schedule, progress per "
             "learner and a micro-mall of books and tools")
