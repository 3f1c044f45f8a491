#pragma once
#include <functional>

#include "kernel/identity/accounts.hpp"
#include "kernel/identity/ladder.hpp"
#include "kernel/identity/member_tags.hpp"
#include "kernel/identity/sessions.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::identity {

// The cookie that carries a log-in session's token.
inline constexpr const char* kSessionCookie = "tribe_session";

// Sign-up, log-in, log-out, password-change and tag pages and `GET /api/me`, registered like a
// plugin's routes (the kernel's "accounts" component). Forms are checked for CSRF by the kernel
// before they get here. A sign-up puts the new account on the ladder as a fan.
// `signed_up` runs after each sign-up (the instance binds the new account to its referrer);
// `vocabulary_of` gives the tags a site's members choose from.
using SignedUp = std::function<void(const sdk::Request&, sdk::Context&, const Account&)>;
using VocabularyOf = std::function<const config::TagVocabulary&(const std::string& site_id)>;
struct IdentityBooks {
  AccountBook& accounts;
  SessionBook& sessions;
  Ladder& ladder;
  MemberTags& tags;
};
void register_pages(sdk::Registry& registry, IdentityBooks books, SignedUp signed_up,
                    VocabularyOf vocabulary_of);

}  // namespace tribe::kernel::identity
