#pragma once
// What the startup section's schema cannot see, checked when the site is loaded and by
// `tribe validate` (the plugin's section check): each problem is a file:line:col error at its key
// and the site is not served until the YAML is fixed. A plain function, tested without a server.
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::startup {

// The offers the section names that the site does not sell (`entry_offer` and `intro_offer`, also
// by their defaults membership and intro-fee, an event's or a project's `offer`, the ids of
// `training` and `sponsors`), with a did-you-mean: "events[1].offer": "no offer
// 'competition-2099' on this site; did you mean 'competition-2027'?". Also a project whose offer
// does not hold its pledges in escrow and a project deadline that is not a day (YYYY-MM-DD).
std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers);

}  // namespace tribe::startup
