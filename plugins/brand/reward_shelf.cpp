#include "reward_shelf.hpp"

namespace tribe::brand {
namespace {

constexpr const char* kStock = "brand_reward_stock";
constexpr int kAttempts = 100;

}  // namespace

std::vector<Reward> rewards_of(const sdk::Json& section) {
  std::vector<Reward> rewards;
  for (const auto& item : section.value("rewards", sdk::Json::array())) {
    rewards.push_back({item.at("id").get<std::string>(), item.at("title").get<std::string>(),
                       item.value("description", ""), item.at("cost").get<std::int64_t>(),
                       item.at("stock").get<std::int64_t>()});
  }
  return rewards;
}

void RewardShelf::stock(const std::vector<Reward>& rewards) {
  for (const auto& reward : rewards) {
    if (store_.count(kStock, {{"reward_id", reward.id}}) > 0) continue;
    try {
      store_.insert(kStock, {{"reward_id", reward.id}, {"stock_left", reward.stock}});
    } catch (const sdk::StoreError&) {
      if (store_.count(kStock, {{"reward_id", reward.id}}) == 0) throw;  // not a racing seed
    }
  }
}

std::int64_t RewardShelf::left(const std::string& reward) {
  const auto row = store_.find_one(kStock, {{"reward_id", reward}});
  return row ? row->at("stock_left").get<std::int64_t>() : 0;
}

bool RewardShelf::change(const std::string& reward, std::int64_t by) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const std::int64_t now = left(reward);
    if (now + by < 0) return false;
    // Only if nobody changed it since it was read: the update's WHERE names the value read.
    if (store_.update(kStock, {{"reward_id", reward}, {"stock_left", now}},
                      {{"stock_left", now + by}}) == 1) {
      return true;
    }
  }
  throw sdk::HttpError(503, "the reward '" + reward + "' is busy; try again");
}

bool RewardShelf::take_one(const std::string& reward) {
  return change(reward, -1);
}

void RewardShelf::put_back(const std::string& reward) {
  change(reward, 1);
}

}  // namespace tribe::brand
