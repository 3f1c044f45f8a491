#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tribe::kernel::money {

// Payment webhooks are signed like Stripe's: the header
//   Tribe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// A header may carry several v1= values (while a secret is rotated); one matching is enough.
inline constexpr std::string_view kSignatureHeader = "Tribe-Signature";

// The header value for `body` sent at `timestamp` (Unix seconds).
std::string sign_webhook(std::string_view secret, std::int64_t timestamp, std::string_view body);

enum class SignatureCheck {
  Valid,
  Malformed,  // no t=, no v1= of 64 hex digits, or a t= that is not Unix seconds
  Mismatch,   // no v1= is the HMAC of this body under this secret
  Stale,      // signed more than `tolerance` before or after now: a replay, or a clock off
};

// Checks `header` against the raw `body` in constant time per signature.
SignatureCheck verify_webhook(std::string_view secret, std::string_view header,
                              std::string_view body, std::chrono::system_clock::time_point now,
                              std::chrono::seconds tolerance = std::chrono::seconds(300));

// One line for the log, saying what to do.
std::string describe(SignatureCheck check);

}  // namespace tribe::kernel::money
