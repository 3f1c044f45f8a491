#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "kernel/store/database.hpp"

namespace tribe::kernel::identity {

// Why a log-in is refused before its password is checked, and when to try again.
struct ThrottleRefusal {
  std::chrono::seconds retry_after{0};
  std::string message;  // user-facing, e.g. "... try again in 14 minutes"
};

// Counts failed log-ins per (tenant, "account:<email>") and per (tenant, "address:<ip>") over a
// sliding window, in tribe_login_failures, so every process of the instance refuses alike.
// A subject with `max_...` failures inside the window is refused until the oldest that keeps it
// at the limit leaves the window. An empty client address is not counted.
class LoginThrottle {
 public:
  explicit LoginThrottle(store::Database& database, int max_account_failures = 5,
                         int max_address_failures = 20,
                         std::chrono::seconds window = std::chrono::minutes(15));

  // A refusal when the email or the address is over its limit at `now` (the later retry wins).
  std::optional<ThrottleRefusal> refusal(const std::string& tenant, const std::string& email,
                                         const std::string& client_address,
                                         std::chrono::system_clock::time_point now) const;

  // One failure for the email and one for the address; forgets failures older than the window.
  void record_failure(const std::string& tenant, const std::string& email,
                      const std::string& client_address, std::chrono::system_clock::time_point now);

  // Forgets the email's failures (after a successful log-in); the address keeps its count.
  void clear_account(const std::string& tenant, const std::string& email);

 private:
  std::optional<std::chrono::seconds> retry_after(const std::string& tenant,
                                                  const std::string& subject, int limit,
                                                  std::chrono::system_clock::time_point now) const;

  store::Database& database_;
  int max_account_failures_;
  int max_address_failures_;
  std::chrono::seconds window_;
};

}  // namespace tribe::kernel::identity
