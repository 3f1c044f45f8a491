#include "section_check.hpp"

#include <algorithm>
#include <string>

namespace tribe::media {

std::vector<sdk::SectionProblem> section_problems(const sdk::Json& section,
                                                  const std::vector<sdk::Offer>& offers) {
  sdk::SectionFindings found(offers);
  if (!section.is_object()) return std::move(found).problems();
  std::vector<std::string> granted;
  for (const auto& offer : offers) {
    for (const auto& key : offer.grants) {
      if (std::find(granted.begin(), granted.end(), key) == granted.end()) granted.push_back(key);
    }
  }

  const sdk::Json posts = section.value("posts", sdk::Json::array());
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const std::string key = posts[i].value("requires", "");
    if (!key.empty() && std::find(granted.begin(), granted.end(), key) == granted.end()) {
      found.add(sdk::item_path("posts", i, "requires"),
                sdk::unknown_name("offer granting", key, "on this site", granted) +
                    " (nobody could read the post's body)");
    }
  }

  const sdk::Json slots = section.value("sponsor_slots", sdk::Json::array());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const std::string name = slots[i].value("offer", "");
    const sdk::Offer* offer =
        found.require_offer(sdk::item_path("sponsor_slots", i, "offer"), name);
    if (offer && (!offer->capacity || *offer->capacity != 1)) {
      found.add(sdk::item_path("sponsor_slots", i, "offer"),
                "the offer '" + name + "' needs capacity: 1, or the slot could sell twice");
    }
  }

  const sdk::Json mall = section.value("mall", sdk::Json::array());
  for (std::size_t i = 0; i < mall.size(); ++i) {
    found.require_offer(sdk::item_path("mall", i), mall[i].get<std::string>());
  }
  return std::move(found).problems();
}

}  // namespace tribe::media
