#pragma once
// The seed-user programme (种子用户, after the seeds' 100 hand-picked early users): a member joins
// by redeeming one of the site YAML's invitation codes (each code once) or is invited by an admin
// to their e-mail address. Seed users see and buy early-access products before everyone else and
// leave feedback on products. Kept in the plugin's tables through the tenant's store.
#include <cstdint>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::product {

// The code of `codes` that `typed` names (spaces around it and letter case do not matter), or ""
// when none does.
std::string match_code(const std::string& typed, const std::vector<std::string>& codes);

// An e-mail address as invitations are kept: trimmed, ASCII letters in lower case; "" when it does
// not look like one (no '@' with text on both sides, spaces inside, over 254 characters).
std::string normalized_email(const std::string& typed);

// Characters of UTF-8 text (feedback and names are limited in characters, not bytes).
std::size_t characters(const std::string& text);

class SeedProgramme {
 public:
  explicit SeedProgramme(sdk::TenantStore& store) : store_(store) {}

  // A seed user: joined with a code, or invited by e-mail.
  bool is_seed(const sdk::Member& member);

  enum class Joined { Joined, AlreadySeed, UnknownCode, CodeTaken };
  // Redeems `typed` for the member; a code joins one member only (also when two redeem it at once).
  Joined redeem(const sdk::Member& member, const std::string& typed,
                const std::vector<std::string>& codes, const std::string& now);

  // An admin invites an address; false when it was invited before.
  bool invite(const std::string& email, const std::string& admin_id, const std::string& now);
  std::vector<sdk::Json> invites();

  void add_feedback(const std::string& offer_id, const sdk::Member& member, int rating,
                    const std::string& body, const std::string& now);
  // The product's feedback, newest first.
  std::vector<sdk::Json> feedback(const std::string& offer_id);
  // Feedback left from one UTC day to another ("2026-11-01", both included): the funnel step.
  std::int64_t feedback_between(const std::string& from_day, const std::string& to_day);

 private:
  sdk::TenantStore& store_;
};

}  // namespace tribe::product
