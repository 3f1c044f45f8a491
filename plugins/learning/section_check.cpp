#include "section_check.hpp"

#include <string>

namespace tribe::learning {

std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers) {
  sdk::SectionFindings found(offers);
  if (!section.is_object()) return std::move(found).problems();

  const sdk::Json cohorts = section.value("cohorts", sdk::Json::array());
  for (std::size_t i = 0; i < cohorts.size(); ++i) {
    const std::string id = cohorts[i].value("id", "");
    const std::string name = cohorts[i].value("offer", "");
    const sdk::Offer* offer = found.require_offer(sdk::item_path("cohorts", i, "offer"), name);
    if (offer && (offer->grants.empty() || !offer->term)) {
      found.add(sdk::item_path("cohorts", i, "offer"),
                "the offer '" + name +
                    "' sells no seat without a term and grants; give it e.g. term: "
                    "P28D, grants: [cohort." +
                    id + "]");
    }
  }

  const sdk::Json challenges = section.value("challenges", sdk::Json::array());
  for (std::size_t i = 0; i < challenges.size(); ++i) {
    const std::string name = challenges[i].value("offer", "");
    const sdk::Offer* offer = found.require_offer(sdk::item_path("challenges", i, "offer"), name);
    if (offer && offer->holds != "deposit") {
      found.add(sdk::item_path("challenges", i, "offer"),
                "the offer '" + name +
                    "' does not hold a deposit; give it holds: deposit (and forfeit_to: "
                    "site:<account> for the forfeits)");
    }
    const int days = challenges[i].value("days", 0);
    const int required = challenges[i].value("required", 0);
    if (days < 1) {
      found.add(sdk::item_path("challenges", i, "days"),
                "days is " + std::to_string(days) +
                    "; the check-in window needs at least one day, e.g. days: 21");
    }
    if (required < 1) {
      found.add(sdk::item_path("challenges", i, "required"),
                "required is " + std::to_string(required) +
                    "; ask for at least one check-in day, e.g. required: 15");
    } else if (days >= 1 && required > days) {
      found.add(sdk::item_path("challenges", i, "required"),
                "required is " + std::to_string(required) + ", more than the " +
                    std::to_string(days) +
                    " days of the window, so no one could get the deposit back; ask "
                    "for at most " +
                    std::to_string(days));
    }
  }
  return std::move(found).problems();
}

}  // namespace tribe::learning
