#pragma once
// What a section check (Registry::set_section_check) finds, with the site's offers at hand: a
// check looks offers up by id and words an unknown one the way the kernel's own errors do
// ("no offer 'cohort-l' on this site; did you mean 'cohort-1'?"). Header-only.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tribe/sdk/did_you_mean.hpp"
#include "tribe/sdk/offer.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::sdk {

// The path of a list item's key inside a section: item_path("cohorts", 2, "offer") is
// "cohorts[2].offer"; without a key, "cohorts[2]".
inline std::string item_path(const std::string& list, std::size_t index,
                             const std::string& key = "") {
  return list + "[" + std::to_string(index) + "]" + (key.empty() ? "" : "." + key);
}

class SectionFindings {
 public:
  // `offers` must outlive the findings (the check's argument does).
  explicit SectionFindings(const std::vector<Offer>& offers) : offers_(offers) {
    for (const auto& offer : offers) offer_ids_.push_back(offer.id);
  }

  // The offer the site sells as `id`, or nullptr.
  const Offer* offer(std::string_view id) const {
    for (const auto& offer : offers_) {
      if (offer.id == id) return &offer;
    }
    return nullptr;
  }

  // The offer named `id` at `path`, or nullptr after adding "no offer '<id>' <where>; did you
  // mean ...?" there. `where` may say more than "on this site" (a default the section left out).
  const Offer* require_offer(std::string path, const std::string& id,
                             const std::string& where = "on this site") {
    const Offer* found = offer(id);
    if (!found) add(std::move(path), unknown_name("offer", id, where, offer_ids_));
    return found;
  }

  void add(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }

  const std::vector<std::string>& offer_ids() const { return offer_ids_; }
  const std::vector<SectionProblem>& problems() const& { return problems_; }
  std::vector<SectionProblem> problems() && { return std::move(problems_); }

 private:
  const std::vector<Offer>& offers_;
  std::vector<std::string> offer_ids_;
  std::vector<SectionProblem> problems_;
};

}  // namespace tribe::sdk
