#pragma once
// The professionals' club's rules as plain functions, tested without a server: who may apply, how
// an admin decides, what a board post may say and how the board ranks posts for a member.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tribe::industry {

// --- applications -----------------------------------------------------------------------------

// An application's state: "" (never applied), "pending", "approved" or "rejected".
// A member may (re)apply when they never did or were rejected.
bool may_apply(const std::string& state);
// An admin decides a pending application; a rejection needs a reason. Returns the new state, or
// nullopt when the decision is not allowed ("approve"/"reject" on a pending application only).
std::optional<std::string> decide(const std::string& state, const std::string& decision,
                                  const std::string& reason);
// Whether the member holds the tag "verified" an approval gives.
bool is_verified(const std::vector<std::string>& tags);

// --- the job and resource board ---------------------------------------------------------------

// A post's kind: "job" or "resource".
bool valid_kind(const std::string& kind);
// A tag value as the kernel accepts it: 1 to 64 bytes, no spaces, commas or ':'.
bool valid_tag_value(const std::string& value);

struct BoardPost {
  std::string id;
  std::string kind;
  std::string title;
  std::string city;  // "上海" (the post's tag city:上海), may be empty
  std::string role;  // "媒介" (role:媒介), may be empty
  std::string created_at;
};

// The tags a post carries: "city:<city>" and "role:<role>" for those it names.
std::vector<std::string> post_tags(const BoardPost& post);
// How many of the post's tags the member holds.
int shared_tags(const BoardPost& post, const std::vector<std::string>& member_tags);
// Matching: posts sharing more of the member's tags first, then the newest first (created_at,
// then id, descending). Stable for equal posts.
std::vector<BoardPost> rank_posts(std::vector<BoardPost> posts,
                                  const std::vector<std::string>& member_tags);

// --- text -------------------------------------------------------------------------------------

// Characters of UTF-8 text (form fields are limited in characters, not bytes).
std::size_t characters(const std::string& text);
// "2027-03-31" for a time point (its UTC day).
std::string date_text(std::chrono::system_clock::time_point at);
// "2027-03-31T08:15:00Z" for a time point (UTC, whole seconds).
std::string time_text(std::chrono::system_clock::time_point at);

}  // namespace tribe::industry
