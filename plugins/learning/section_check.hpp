#pragma once
// What the schema cannot check in the site's `learning` section: the plugin's section check
// (Registry::set_section_check), a pure function so every problem is tested without a server.
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::learning {

// Each problem by its path in the section and a message a user can act on: a cohort or challenge
// naming an offer the site does not have ("cohorts[2].offer": "no offer 'cohort-9' on this site;
// did you mean 'cohort-3'?"), a cohort offer without a term or grants (it sells no seat), a
// challenge offer that does not hold a deposit, and a check-in rule that cannot be met (days or
// required below 1, required above days).
std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers);

}  // namespace tribe::learning
