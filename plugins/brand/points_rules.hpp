#pragma once
// The brand plugin's points rules as plain functions of the YAML section: how many points an
// action or a paid order earns, how many a refund takes back, and the once-only keys each
// movement is made under (the ledger moves nothing twice under one key).
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <tribe/sdk/json.hpp>

namespace tribe::brand {

struct PointsRules {
  std::int64_t checkin = 0;                       // per daily check-in (sharing a growth note)
  std::int64_t per_yuan = 0;                      // per whole unit of a paid order's amount
  std::map<std::string, std::int64_t> per_offer;  // an offer's points instead of per_yuan
};

// The `points` key of the section (absent keys earn nothing).
PointsRules points_rules_of(const sdk::Json& section);

// The points a paid order of `offer` for `amount` minor units earns (whole points, rounded down).
std::int64_t purchase_points(const PointsRules& rules, const std::string& offer,
                             std::int64_t amount);

// What a refund of an order that earned `awarded` takes back from a member holding `held`: all
// of it, or what they still hold.
std::int64_t take_back(std::int64_t awarded, std::int64_t held);

// "2026-11-24" for a UTC day.
std::string iso_date(std::chrono::sys_days day);

std::string checkin_key(const std::string& member, std::chrono::sys_days day);
std::string order_key(const std::string& order);
std::string refund_key(const std::string& order);
std::string reward_key(const std::string& member, const std::string& reward,
                       const std::string& form_key);

}  // namespace tribe::brand
