#pragma once
// What the industry section's schema cannot see, checked when the site is loaded and by
// `tribe validate` (the plugin's section check): each problem is a file:line:col error at its key
// and the site is not served until the YAML is fixed. A plain function, tested without a server.
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::industry {

// The offers the section names that the site does not sell, with a did-you-mean: `entry_offer`
// (also by its default, entry), a class's `offer`, the ids of `training` ("classes[1].offer":
// "no offer 'class-media-2027-2' on this site; did you mean 'class-media-2027-02'?").
std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers);

}  // namespace tribe::industry
