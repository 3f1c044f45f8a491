#pragma once
// What the schema cannot check in the site's `product` section: the plugin's section check
// (Registry::set_section_check), a pure function so every problem is tested without a server.
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::product {

// Each problem by its path in the section and a message a user can act on: a product or an event
// naming an offer the site does not have ("events[2].offer": "no offer 'ticket-beijing' on this
// site; did you mean 'ticket-beijing-swim'?") and a date that is not a day (a product's `ships`
// or `early_access_until`, an event's `date`). A ticket offer without a capacity is no mistake
// of the section (an event may take everyone who comes): the plugin warns of it at start.
std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers);

}  // namespace tribe::product
