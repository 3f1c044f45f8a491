#include "club_rules.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace tribe::startup {

bool may_apply(const std::string& state) {
  return state.empty() || state == "rejected";
}

bool holds_approved_tag(const std::string& state) {
  return state == "approved";
}

std::optional<std::string> decide(const std::string& state, const std::string& decision,
                                  const std::string& reason) {
  if (state != "pending") return std::nullopt;
  if (decision == "approve") return "approved";
  if (decision == "reject" && !reason.empty()) return "rejected";
  return std::nullopt;
}

std::optional<std::string> next_match_state(const std::string& state, bool by_requester,
                                            MatchAction action) {
  if (state != "requested") return std::nullopt;
  if (action == MatchAction::Decline) return "declined";
  if (by_requester) return std::nullopt;  // the requester accepted by asking
  return "accepted";
}

bool intro_fee_due(const std::string& state) {
  return state == "accepted";
}

bool contacts_visible(const std::string& state) {
  return state == "paid";
}

bool valid_side(const std::string& side) {
  return side == "investor" || side == "project";
}

bool sides_match(const std::string& from_side, const std::string& to_side) {
  return valid_side(from_side) && valid_side(to_side) && from_side != to_side;
}

std::string role_tag(const std::string& side) {
  return side == "investor" ? "role:investor" : "role:founder";
}

std::vector<std::string> sectors_of(const std::vector<std::string>& tags, const std::string& side) {
  const std::string group = side == "investor" ? "focus:" : "sector:";
  std::vector<std::string> sectors;
  for (const auto& tag : tags) {
    if (tag.starts_with(group) && tag.size() > group.size()) {
      sectors.push_back(tag.substr(group.size()));
    }
  }
  std::sort(sectors.begin(), sectors.end());
  return sectors;
}

std::vector<std::string> shared_sectors(const std::vector<std::string>& a,
                                        const std::vector<std::string>& b) {
  std::vector<std::string> shared;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
  return shared;
}

std::optional<std::chrono::sys_days> parse_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const std::chrono::year_month_day day{std::chrono::year{std::stoi(text.substr(0, 4))},
                                        std::chrono::month{unsigned(std::stoi(text.substr(5, 2)))},
                                        std::chrono::day{unsigned(std::stoi(text.substr(8, 2)))}};
  if (!day.ok()) return std::nullopt;
  return std::chrono::sys_days(day);
}

std::chrono::system_clock::time_point closes_at(std::chrono::sys_days deadline) {
  return deadline + std::chrono::days(1);
}

std::string outcome_for(std::int64_t raised, std::int64_t goal) {
  return raised >= goal ? "funded" : "refunded";
}

std::size_t characters(const std::string& text) {
  std::size_t count = 0;
  for (char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

std::string date_text(std::chrono::system_clock::time_point at) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(at)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

std::string time_text(std::chrono::system_clock::time_point at) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(at);
  const std::chrono::hh_mm_ss clock{seconds - std::chrono::floor<std::chrono::days>(seconds)};
  char text[16];
  std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return date_text(at) + text;
}

}  // namespace tribe::startup
