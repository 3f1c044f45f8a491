#pragma once
// What the brand section's schema cannot see, checked when the site is loaded and by
// `tribe validate` (the plugin's section check): each problem is a file:line:col error at its key
// and the site is not served until the YAML is fixed. A plain function, tested without a server.
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::brand {

// An event, a book or a points rule naming an offer the site does not sell, with a did-you-mean
// ("events[1].offer": "no offer 'salon-films' on this site; did you mean 'salon-film'?"), and a
// reward that costs no points or has a negative stock.
std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers);

}  // namespace tribe::brand
