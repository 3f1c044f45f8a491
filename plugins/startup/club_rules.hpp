#pragma once
// The founders' club's rules as plain functions, tested without a server: who may apply, which
// tag a decision leaves, how a match request moves between its two sides and which profiles fit,
// when a crowdfunding project closes and how its deadline decides it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tribe::startup {

// --- applications -----------------------------------------------------------------------------

// An application's state: "" (never applied), "pending", "approved" or "rejected".
// A member may (re)apply when they never did or were rejected.
bool may_apply(const std::string& state);
// The member tag an approved application gives and a rejection takes away. The tag decides who
// may pay the entry fee: the entry offer's `requires_tags` names it, so the kernel refuses the
// offer everywhere to anyone without it (startup_applications keeps the history and the reason).
inline constexpr const char* kApprovedTag = "approved";
// Whether the member of an application in `state` holds kApprovedTag.
bool holds_approved_tag(const std::string& state);
// An admin decides a pending application; a rejection needs a reason. Returns the new state, or
// nullopt when the decision is not allowed ("approve"/"reject" on a pending application only).
std::optional<std::string> decide(const std::string& state, const std::string& decision,
                                  const std::string& reason);

// --- matching ---------------------------------------------------------------------------------

// A match request: "requested" (the requester's side has accepted by asking), "accepted" (the
// other side accepted too: the intro fee is due from the requester), "declined" (either side
// said no; never charged) or "paid" (the intro fee was paid: both sides see each other's
// contact).
enum class MatchAction { Accept, Decline };
// The state after `action` by the requester (`by_requester`) or the other side; nullopt when the
// action is not theirs to take now. Only the other side accepts; either side may decline a
// request that is not yet accepted.
std::optional<std::string> next_match_state(const std::string& state, bool by_requester,
                                            MatchAction action);
// The intro fee may be ordered only when both sides accepted (and it is not paid yet).
bool intro_fee_due(const std::string& state);
bool contacts_visible(const std::string& state);
// Sides of a profile; a request joins an investor and a project.
bool valid_side(const std::string& side);
bool sides_match(const std::string& from_side, const std::string& to_side);
// The tag a profile's side gives its member: "role:investor" or "role:founder" (a project's).
std::string role_tag(const std::string& side);
// The sectors a member's tags name for their side: an investor's "focus:<sector>" tags, a
// project's "sector:<sector>" tags (both chosen from the site's `tags` vocabulary), sorted.
std::vector<std::string> sectors_of(const std::vector<std::string>& tags, const std::string& side);
// The sectors both lists hold (each sorted), in order.
std::vector<std::string> shared_sectors(const std::vector<std::string>& a,
                                        const std::vector<std::string>& b);

// --- crowdfunding -----------------------------------------------------------------------------

// "2027-03-31" as a UTC day; nullopt for anything else.
std::optional<std::chrono::sys_days> parse_date(const std::string& text);
// A project whose `deadline` is a date takes pledges to the end of that UTC day.
std::chrono::system_clock::time_point closes_at(std::chrono::sys_days deadline);
// All or nothing: "funded" when the pledges held at the deadline reach the goal, else "refunded".
std::string outcome_for(std::int64_t raised, std::int64_t goal);

// --- text -------------------------------------------------------------------------------------

// Characters of UTF-8 text (form fields are limited in characters, not bytes).
std::size_t characters(const std::string& text);
// "2027-03-31" for a time point (its UTC day).
std::string date_text(std::chrono::system_clock::time_point at);
// "2027-03-31T08:15:00Z" for a time point (UTC, whole seconds).
std::string time_text(std::chrono::system_clock::time_point at);

}  // namespace tribe::startup
