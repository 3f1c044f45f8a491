#include "section_check.hpp"

namespace tribe::industry {

std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers) {
  sdk::SectionFindings found(offers);
  if (!section.is_object()) return std::move(found).problems();
  // /join sells the entry fee, given or by default.
  if (section.contains("entry_offer")) {
    found.require_offer("entry_offer", section.at("entry_offer").get<std::string>());
  } else {
    found.require_offer("entry_offer", "entry",
                        "on this site (entry_offer is not given and defaults to it)");
  }
  const sdk::Json classes = section.value("classes", sdk::Json::array());
  for (std::size_t i = 0; i < classes.size(); ++i) {
    found.require_offer("classes[" + std::to_string(i) + "].offer", classes[i].value("offer", ""));
  }
  const sdk::Json training = section.value("training", sdk::Json::array());
  for (std::size_t i = 0; i < training.size(); ++i) {
    found.require_offer("training[" + std::to_string(i) + "]", training[i].get<std::string>());
  }
  return std::move(found).problems();
}

}  // namespace tribe::industry
