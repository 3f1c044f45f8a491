#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::learning {

// One cohort (一期) of the camp as the site YAML's `learning.cohorts` lists it. Its offer sells
// the seats and the term; the dates are the cohort's calendar, shown to buyers.
struct Cohort {
  std::string id;
  std::string title;
  std::string offer;  // the offer that sells a seat (a term and usually a capacity)
  std::string starts;
  std::string ends;
  std::string description;
  std::string members_note;
};

// The cohorts in the order the YAML lists them: each one's next is the following entry, so a
// member finishing one is offered the next (continuous consumption).
class CohortSequence {
 public:
  explicit CohortSequence(const sdk::Json& cohorts);

  const std::vector<Cohort>& all() const { return cohorts_; }
  const Cohort* find(const std::string& id) const;
  // The cohort after `id`, or nullptr for the last one (or an unknown id).
  const Cohort* next_after(const std::string& id) const;

 private:
  std::vector<Cohort> cohorts_;
};

// Whether a member whose seat in a cohort ends at `ends_at` should be offered the next cohort
// now: once the end is `days_before` days away or has passed. Never without an end (no seat).
bool offer_next_now(const std::optional<std::chrono::system_clock::time_point>& ends_at,
                    std::chrono::system_clock::time_point now, int days_before);

}  // namespace tribe::learning
