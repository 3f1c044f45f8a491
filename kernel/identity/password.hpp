#pragma once
#include <string>
#include <string_view>

namespace tribe::kernel::identity {

// An argon2id hash of `password` (libsodium's encoded form, "$argon2id$v=19$m=19456,t=2,...",
// salted at random), the only form in which passwords are stored. Costs about 19 MiB and
// tens of milliseconds on purpose.
std::string hash_password(std::string_view password);

// Whether `password` matches `hash`; false also for a `hash` that is not an argon2 string.
bool verify_password(const std::string& hash, std::string_view password);

}  // namespace tribe::kernel::identity
