#include "kernel/identity/password.hpp"

#include <sodium.h>

#include "kernel/identity/identity_error.hpp"
#include "kernel/identity/sodium_library.hpp"

namespace tribe::kernel::identity {
namespace {

// OWASP's argon2id minimum (m=19 MiB, t=2, p=1): slow for guessers, affordable per log-in.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19 * 1024 * 1024;

}  // namespace

std::string hash_password(std::string_view password) {
  require_sodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw IdentityError(
        "the password could not be hashed: the server is out of memory; "
        "try again in a moment");
  }
  return hash;
}

bool verify_password(const std::string& hash, std::string_view password) {
  require_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace tribe::kernel::identity
