#pragma once
#include <functional>

#include "kernel/identity/accounts.hpp"
#include "kernel/identity/sessions.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::identity {

// The cookie that carries a log-in session's token.
inline constexpr const char* kSessionCookie = "tribe_session";

// Sign-up, log-in, log-out and password-change pages, registered like a plugin's routes (the
// kernel's "accounts" component). Forms are checked for CSRF by the kernel before they get here.
void register_pages(sdk::Registry& registry, AccountBook& accounts, SessionBook& sessions);

}  // namespace tribe::kernel::identity
