#include "section_check.hpp"

#include <cstdint>

namespace tribe::brand {

std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers) {
  sdk::SectionFindings found(offers);
  if (!section.is_object()) return std::move(found).problems();
  // The `offer` of each item of `list` (at `path`) must be one the site sells.
  auto check_offers = [&](const sdk::Json& list, const std::string& path) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      found.require_offer(path + "[" + std::to_string(i) + "].offer", list[i].value("offer", ""));
    }
  };
  check_offers(section.value("points", sdk::Json::object()).value("offers", sdk::Json::array()),
               "points.offers");
  const sdk::Json rewards = section.value("rewards", sdk::Json::array());
  for (std::size_t i = 0; i < rewards.size(); ++i) {
    const std::string path = "rewards[" + std::to_string(i) + "].";
    if (rewards[i].value("cost", std::int64_t{0}) <= 0) {
      found.add(path + "cost", "a reward must cost at least 1 point");
    }
    if (rewards[i].value("stock", std::int64_t{0}) < 0) {
      found.add(path + "stock", "the stock cannot be negative; write 0 for none left");
    }
  }
  check_offers(section.value("events", sdk::Json::array()), "events");
  check_offers(section.value("books", sdk::Json::array()), "books");
  return std::move(found).problems();
}

}  // namespace tribe::brand
