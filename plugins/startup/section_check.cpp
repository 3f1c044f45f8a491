#include "section_check.hpp"

#include <utility>

#include "club_rules.hpp"

namespace tribe::startup {

std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers) {
  sdk::SectionFindings found(offers);
  if (!section.is_object()) return std::move(found).problems();

  // /join sells the entry offer, a mutually accepted match the intro offer: given or by default.
  for (const auto& [key, fallback] :
       {std::pair{"entry_offer", "membership"}, std::pair{"intro_offer", "intro-fee"}}) {
    if (section.contains(key)) {
      found.require_offer(key, section.at(key).get<std::string>());
    } else {
      found.require_offer(
          key, fallback, std::string("on this site (") + key + " is not given and defaults to it)");
    }
  }
  const sdk::Json events = section.value("events", sdk::Json::array());
  for (std::size_t i = 0; i < events.size(); ++i) {
    found.require_offer(sdk::item_path("events", i, "offer"), events[i].value("offer", ""));
  }
  const sdk::Json projects = section.value("projects", sdk::Json::array());
  for (std::size_t i = 0; i < projects.size(); ++i) {
    const std::string path = sdk::item_path("projects", i);
    const sdk::Offer* offer = found.require_offer(path + ".offer", projects[i].value("offer", ""));
    if (offer && offer->holds != "escrow") {
      found.add(path + ".offer", "the offer '" + offer->id +
                                     "' needs holds: escrow, or the pledges would be revenue at "
                                     "once instead of held to the deadline");
    }
    const std::string deadline = projects[i].value("deadline", "");
    if (!parse_date(deadline)) {
      found.add(path + ".deadline",
                "'" + deadline + "' is not a day; write it as YYYY-MM-DD, e.g. 2027-03-31");
    }
  }
  for (const char* key : {"training", "sponsors"}) {
    const sdk::Json listed = section.value(key, sdk::Json::array());
    for (std::size_t i = 0; i < listed.size(); ++i) {
      found.require_offer(sdk::item_path(key, i), listed[i].get<std::string>());
    }
  }
  return std::move(found).problems();
}

}  // namespace tribe::startup
