#pragma once
// What the schema cannot check in the site's `media` section: the plugin's section check
// (Registry::set_section_check), a pure function so every problem is tested without a server.
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::media {

// Each problem by its path in the section and a message a user can act on: a sponsorship slot or
// a product of the mall naming an offer the site does not have ("mall[1]": "no offer 'notebok' on
// this site; did you mean 'notebook'?"), a slot offer without capacity: 1 (the slot could sell
// twice), and a post requiring what no offer grants (nobody could read its body).
std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers);

}  // namespace tribe::media
