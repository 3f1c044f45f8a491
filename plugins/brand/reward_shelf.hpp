#pragma once
// The rewards catalogue (the section's `rewards`) and its stock: a reward is paid in points, so it
// is not an offer (an offer is paid in money through a checkout); its stock lives in
// brand_reward_stock and is taken with a compare-and-set update, so it is never oversold.
#include <cstdint>
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::brand {

struct Reward {
  std::string id;
  std::string title;
  std::string description;
  std::int64_t cost = 0;   // points
  std::int64_t stock = 0;  // how many the catalogue starts with
};

std::vector<Reward> rewards_of(const sdk::Json& section);

class RewardShelf {
 public:
  explicit RewardShelf(sdk::TenantStore& store) : store_(store) {}

  // Seeds each reward's stock once (a reward already stocked keeps what is left).
  void stock(const std::vector<Reward>& rewards);
  std::int64_t left(const std::string& reward);
  // Takes one of the reward if any is left; false when none is. Bounded retries of the
  // compare-and-set when others take at the same time.
  bool take_one(const std::string& reward);
  // Puts back one taken before (its points could not be spent).
  void put_back(const std::string& reward);

 private:
  bool change(const std::string& reward, std::int64_t by);
  sdk::TenantStore& store_;
};

}  // namespace tribe::brand
