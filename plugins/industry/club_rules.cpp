#include "club_rules.hpp"

#include <algorithm>
#include <cstdio>

namespace tribe::industry {

bool may_apply(const std::string& state) {
  return state.empty() || state == "rejected";
}

std::optional<std::string> decide(const std::string& state, const std::string& decision,
                                  const std::string& reason) {
  if (state != "pending") return std::nullopt;
  if (decision == "approve") return "approved";
  if (decision == "reject" && !reason.empty()) return "rejected";
  return std::nullopt;
}

bool is_verified(const std::vector<std::string>& tags) {
  return std::find(tags.begin(), tags.end(), "verified") != tags.end();
}

bool valid_kind(const std::string& kind) {
  return kind == "job" || kind == "resource";
}

bool valid_tag_value(const std::string& value) {
  if (value.empty() || value.size() > 64) return false;
  return value.find_first_of(" \t\r\n,:") == std::string::npos;
}

std::vector<std::string> post_tags(const BoardPost& post) {
  std::vector<std::string> tags;
  if (!post.city.empty()) tags.push_back("city:" + post.city);
  if (!post.role.empty()) tags.push_back("role:" + post.role);
  return tags;
}

int shared_tags(const BoardPost& post, const std::vector<std::string>& member_tags) {
  int shared = 0;
  for (const auto& tag : post_tags(post)) {
    shared += std::find(member_tags.begin(), member_tags.end(), tag) != member_tags.end();
  }
  return shared;
}

std::vector<BoardPost> rank_posts(std::vector<BoardPost> posts,
                                  const std::vector<std::string>& member_tags) {
  std::stable_sort(posts.begin(), posts.end(), [&](const BoardPost& a, const BoardPost& b) {
    const int left = shared_tags(a, member_tags);
    const int right = shared_tags(b, member_tags);
    if (left != right) return left > right;
    if (a.created_at != b.created_at) return a.created_at > b.created_at;
    return a.id > b.id;
  });
  return posts;
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

}  // namespace tribe::industry
