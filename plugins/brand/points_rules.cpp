#include "points_rules.hpp"

#include <algorithm>
#include <cstdio>

namespace tribe::brand {

PointsRules points_rules_of(const sdk::Json& section) {
  PointsRules rules;
  const sdk::Json points = section.value("points", sdk::Json::object());
  rules.checkin = points.value("checkin", std::int64_t{0});
  rules.per_yuan = points.value("per_yuan", std::int64_t{0});
  for (const auto& item : points.value("offers", sdk::Json::array())) {
    rules.per_offer[item.at("offer").get<std::string>()] = item.at("points").get<std::int64_t>();
  }
  return rules;
}

std::int64_t purchase_points(const PointsRules& rules, const std::string& offer,
                             std::int64_t amount) {
  const auto fixed = rules.per_offer.find(offer);
  if (fixed != rules.per_offer.end()) return std::max<std::int64_t>(fixed->second, 0);
  if (amount <= 0 || rules.per_yuan <= 0) return 0;
  return amount / 100 * rules.per_yuan;
}

std::int64_t take_back(std::int64_t awarded, std::int64_t held) {
  return std::max<std::int64_t>(0, std::min(awarded, held));
}

std::string iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::string checkin_key(const std::string& member, std::chrono::sys_days day) {
  return "checkin:" + member + ":" + iso_date(day);
}

std::string order_key(const std::string& order) {
  return "order:" + order;
}

std::string refund_key(const std::string& order) {
  return "refund:" + order;
}

std::string reward_key(const std::string& member, const std::string& reward,
                       const std::string& form_key) {
  return "reward:" + member + ":" + reward + ":" + form_key;
}

}  // namespace tribe::brand
