#include "section_check.hpp"

#include <string>

#include "lesson_schedule.hpp"

namespace tribe::education {

std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers) {
  sdk::SectionFindings found(offers);
  if (!section.is_object()) return std::move(found).problems();

  const std::vector<Course> courses = courses_from(section.value("courses", sdk::Json::array()));
  for (std::size_t i = 0; i < courses.size(); ++i) {
    const Course& course = courses[i];
    const std::string path = "courses[" + std::to_string(i) + "]";
    const sdk::Offer* offer = found.require_offer(path + ".offer", course.offer);
    if (offer && offer->grants.empty()) {
      found.add(path + ".offer", "the offer '" + course.offer +
                                     "' grants nothing, so no one could open the "
                                     "course's lessons; give it e.g. grants: [course." +
                                     course.id + "]");
    }
    for (auto& problem : schedule_problems(course)) {
      found.add(path + "." + problem.path, std::move(problem.message));
    }
  }

  const sdk::Json mall = section.value("mall", sdk::Json::array());
  for (std::size_t i = 0; i < mall.size(); ++i) {
    found.require_offer("mall[" + std::to_string(i) + "]", mall[i].get<std::string>());
  }
  return std::move(found).problems();
}

}  // namespace tribe::education
