#include "section_check.hpp"

#include <string>

#include "catalogue.hpp"

namespace tribe::product {

std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers) {
  sdk::SectionFindings found(offers);
  if (!section.is_object()) return std::move(found).problems();
  auto check_offer = [&](const std::string& path, const sdk::Json& item) {
    found.require_offer(path, item.value("offer", ""));
  };
  auto check_day = [&](const std::string& path, const sdk::Json& item, const std::string& key) {
    const std::string day = item.value(key, "");
    if (!day.empty() && !is_day(day)) {
      found.add(path, "'" + day + "' is not a day; write YYYY-MM-DD, e.g. 2027-01-15");
    }
  };

  const sdk::Json products = section.value("products", sdk::Json::array());
  for (std::size_t i = 0; i < products.size(); ++i) {
    check_offer(sdk::item_path("products", i, "offer"), products[i]);
    check_day(sdk::item_path("products", i, "ships"), products[i], "ships");
    check_day(sdk::item_path("products", i, "early_access_until"), products[i],
              "early_access_until");
  }
  const sdk::Json events = section.value("events", sdk::Json::array());
  for (std::size_t i = 0; i < events.size(); ++i) {
    check_offer(sdk::item_path("events", i, "offer"), events[i]);
    check_day(sdk::item_path("events", i, "date"), events[i], "date");
  }
  return std::move(found).problems();
}

}  // namespace tribe::product
