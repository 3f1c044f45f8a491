#pragma once
// The tags each account holds on its site (tribe_member_tags): what members chose from the
// site's vocabulary (city, interests, role) and what plugins set (an approved application's
// "verified"). config/tags.hpp has the syntax.
#include <chrono>
#include <string>
#include <vector>

#include "kernel/config/tags.hpp"
#include "kernel/store/database.hpp"

namespace tribe::kernel::identity {

// The most members_tagged returns at once.
inline constexpr int kMaxMembersTagged = 10000;

class MemberTags {
 public:
  explicit MemberTags(store::Database& database);

  // The account's tags, sorted.
  std::vector<std::string> of(const std::string& tenant, const std::string& account_id) const;
  // Whether the account holds every one of `tags` (true for none).
  bool holds_all(const std::string& tenant, const std::string& account_id,
                 const std::vector<std::string>& tags) const;
  // Gives (`on`) or takes away one tag; returns whether that changed anything. IdentityError
  // for a malformed tag or an account the site does not have.
  bool set(const std::string& tenant, const std::string& account_id, const std::string& tag,
           bool on, std::chrono::system_clock::time_point now);
  // The member's own choice: their tags in the vocabulary's groups become `chosen`, in one
  // transaction; tags outside those groups (set by plugins) stay. IdentityError, nothing
  // changed, when one of `chosen` is not in the vocabulary.
  void choose(const std::string& tenant, const std::string& account_id,
              const config::TagVocabulary& vocabulary, const std::vector<std::string>& chosen,
              std::chrono::system_clock::time_point now);
  // The accounts holding `tag`, oldest tagging first, at most `limit` (none when it is below 1)
  // and never more than kMaxMembersTagged.
  std::vector<std::string> members_tagged(const std::string& tenant, const std::string& tag,
                                          int limit) const;

 private:
  store::Database& database_;
};

}  // namespace tribe::kernel::identity
