#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace tribe::kernel::identity {

// `bytes` random bytes as URL-safe base64 without padding (32 bytes: 43 characters).
std::string random_token(std::size_t bytes = 32);

// SHA-256 of `token` as 64 lower-case hex digits: what tables store instead of a token.
std::string token_digest(std::string_view token);

// Whether two tokens are equal, in time that depends only on their length (a CSRF token compared
// byte by byte would leak how much of a guess was right). Empty tokens never match.
bool same_token(std::string_view a, std::string_view b);

}  // namespace tribe::kernel::identity
