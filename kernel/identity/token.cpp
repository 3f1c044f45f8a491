#include "kernel/identity/token.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "kernel/identity/sodium_library.hpp"

namespace tribe::kernel::identity {

std::string random_token(std::size_t bytes) {
  if (bytes == 0) throw std::invalid_argument("random_token needs at least one byte");
  require_sodium();
  std::vector<unsigned char> random(bytes);
  randombytes_buf(random.data(), random.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_ENCODED_LEN(bytes, kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), random.data(), random.size(), kVariant);
  text.resize(text.find('\0'));
  return text;
}

std::string token_digest(std::string_view token) {
  require_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool same_token(std::string_view a, std::string_view b) {
  if (a.empty() || a.size() != b.size()) return false;
  require_sodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tribe::kernel::identity
