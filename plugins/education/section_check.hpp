#pragma once
// What the schema cannot check in the site's `education` section: the plugin's section check
// (Registry::set_section_check), a pure function so every problem is tested without a server.
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::education {

// Each problem by its path in the section and a message a user can act on: a course or a product
// of the mall naming an offer the site does not have ("courses[1].offer": "no offer
// 'story-corse' on this site; did you mean 'story-course'?"), a course offer that grants nothing
// (no one could open its lessons), and a schedule mistake (schedule_problems: a course without
// lessons, a lesson id given twice, a negative day).
std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers);

}  // namespace tribe::education
