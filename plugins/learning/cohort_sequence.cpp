#include "cohort_sequence.hpp"

namespace tribe::learning {

CohortSequence::CohortSequence(const sdk::Json& cohorts) {
  if (!cohorts.is_array()) return;
  for (const auto& item : cohorts) {
    cohorts_.push_back({item.at("id").get<std::string>(), item.at("title").get<std::string>(),
                        item.at("offer").get<std::string>(), item.value("starts", ""),
                        item.value("ends", ""), item.value("description", ""),
                        item.value("members_note", "")});
  }
}

const Cohort* CohortSequence::find(const std::string& id) const {
  for (const auto& cohort : cohorts_) {
    if (cohort.id == id) return &cohort;
  }
  return nullptr;
}

const Cohort* CohortSequence::next_after(const std::string& id) const {
  for (std::size_t i = 0; i + 1 < cohorts_.size(); ++i) {
    if (cohorts_[i].id == id) return &cohorts_[i + 1];
  }
  return nullptr;
}

bool offer_next_now(const std::optional<std::chrono::system_clock::time_point>& ends_at,
                    std::chrono::system_clock::time_point now, int days_before) {
  if (!ends_at) return false;
  return now >= *ends_at - std::chrono::days(days_before);
}

}  // namespace tribe::learning
