#pragma once
#include <string>

namespace tribe::kernel::identity {

// The form an email is stored and looked up in: trimmed and lower-cased (ASCII), unchecked.
std::string normalized_email(const std::string& email);

// normalized_email(email) if it looks like an email; IdentityError otherwise.
std::string checked_email(const std::string& email);

// `display_name` trimmed, or the part of `email` before '@' when that is empty; IdentityError
// unless 1 to 80 characters without control characters.
std::string checked_display_name(const std::string& display_name, const std::string& email);

// IdentityError unless `password` has 8 to 1024 bytes.
void check_password_length(const std::string& password);

}  // namespace tribe::kernel::identity
