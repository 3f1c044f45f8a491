#include "kernel/money/webhook_signature.hpp"

#include <sodium.h>

#include <array>
#include <charconv>
#include <optional>
#include <vector>

#include "kernel/identity/sodium_library.hpp"
#include "kernel/store/timestamp.hpp"

namespace tribe::kernel::money {
namespace {

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

Mac hmac(std::string_view secret, std::int64_t timestamp, std::string_view body) {
  identity::require_sodium();
  const std::string prefix = std::to_string(timestamp) + ".";
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  Mac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::int64_t> unix_time(std::string_view digits) {
  std::int64_t value = 0;
  if (digits.empty() || digits.front() < '0' || digits.front() > '9') return std::nullopt;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::optional<Mac> decoded_mac(std::string_view hex) {
  Mac mac{};
  std::size_t length = 0;
  const char* end = nullptr;
  if (hex.size() != 2 * mac.size() ||
      sodium_hex2bin(mac.data(), mac.size(), hex.data(), hex.size(), nullptr, &length, &end) != 0 ||
      length != mac.size() || end != hex.data() + hex.size()) {
    return std::nullopt;
  }
  return mac;
}

struct ParsedHeader {
  std::optional<std::int64_t> timestamp;
  std::vector<Mac> signatures;
  bool malformed = false;
};

// "t=...,v1=...[,v1=...]"; keys other than t and v1 (future schemes) are skipped.
ParsedHeader parse(std::string_view header) {
  ParsedHeader parsed;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const std::string_view item = trimmed(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) {
      parsed.malformed = true;
      continue;
    }
    const std::string_view key = item.substr(0, equals);
    const std::string_view value = item.substr(equals + 1);
    if (key == "t") {
      if (parsed.timestamp) parsed.malformed = true;  // two times: which one was signed?
      parsed.timestamp = unix_time(value);
      if (!parsed.timestamp) parsed.malformed = true;
    } else if (key == "v1") {
      if (auto mac = decoded_mac(value)) {
        parsed.signatures.push_back(*mac);
      } else {
        parsed.malformed = true;
      }
    }
  }
  return parsed;
}

}  // namespace

std::string sign_webhook(std::string_view secret, std::int64_t timestamp, std::string_view body) {
  const Mac mac = hmac(secret, timestamp, body);
  std::array<char, 2 * crypto_auth_hmacsha256_BYTES + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  return "t=" + std::to_string(timestamp) + ",v1=" + hex.data();
}

SignatureCheck verify_webhook(std::string_view secret, std::string_view header,
                              std::string_view body, std::chrono::system_clock::time_point now,
                              std::chrono::seconds tolerance) {
  const ParsedHeader parsed = parse(header);
  if (parsed.malformed || !parsed.timestamp || parsed.signatures.empty()) {
    return SignatureCheck::Malformed;
  }
  const Mac expected = hmac(secret, *parsed.timestamp, body);
  bool matched = false;
  // Every candidate is compared, so the time taken does not tell which one matched.
  for (const Mac& signature : parsed.signatures) {
    matched |= sodium_memcmp(signature.data(), expected.data(), expected.size()) == 0;
  }
  if (!matched) return SignatureCheck::Mismatch;
  const std::int64_t age = store::unix_seconds(now) - *parsed.timestamp;
  if (age > tolerance.count() || -age > tolerance.count()) return SignatureCheck::Stale;
  return SignatureCheck::Valid;
}

std::string describe(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::Valid:
      return "webhook signature valid";
    case SignatureCheck::Malformed:
      return "webhook refused: the Tribe-Signature header is malformed; it must read "
             "'t=<unix seconds>,v1=<64 hex digits of HMAC-SHA256>'";
    case SignatureCheck::Mismatch:
      return "webhook refused: no v1 signature matches the body; the body was changed on the way "
             "or the provider signs with another secret than the site's settings hold";
    case SignatureCheck::Stale:
      return "webhook refused: its signature time is outside the tolerance (a replay, or a "
             "clock off); check both clocks, or have the provider send it again";
  }
  return "webhook signature: unknown check result";
}

}  // namespace tribe::kernel::money
