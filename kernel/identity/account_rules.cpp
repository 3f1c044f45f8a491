#include "kernel/identity/account_rules.hpp"

#include <algorithm>
#include <cstddef>
#include <regex>

#include "kernel/identity/identity_error.hpp"

namespace tribe::kernel::identity {
namespace {

constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321 path limit
constexpr std::size_t kMaxLocalPartLength = 64;
constexpr std::size_t kMaxDisplayNameCharacters = 80;
constexpr std::size_t kMinPasswordBytes = 8;
constexpr std::size_t kMaxPasswordBytes = 1024;  // bounds the work one log-in can ask for

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string trimmed(const std::string& text) {
  const auto first = std::find_if_not(text.begin(), text.end(), is_space);
  const auto last = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
  return first < last ? std::string(first, last) : std::string();
}

// UTF-8 characters: every byte that does not continue a multi-byte sequence starts one.
std::size_t character_count(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool has_control_character(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

}  // namespace

std::string normalized_email(const std::string& email) {
  std::string normal = trimmed(email);
  std::transform(normal.begin(), normal.end(), normal.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return normal;
}

std::string checked_email(const std::string& email) {
  // One '@', no spaces, a dotted domain: enough to catch typos; delivery proves the rest.
  static const std::regex shape(R"([^@\s]+@[^@\s.]+(\.[^@\s.]+)+)");
  const std::string normal = normalized_email(email);
  if (normal.size() > kMaxEmailLength || !std::regex_match(normal, shape) ||
      normal.find('@') > kMaxLocalPartLength) {
    throw IdentityError("'" + normal +
                        "' is not an email address; type one like 'name@example.org'");
  }
  return normal;
}

std::string checked_display_name(const std::string& display_name, const std::string& email) {
  std::string name = trimmed(display_name);
  if (name.empty()) name = email.substr(0, email.find('@'));
  if (name.empty() || character_count(name) > kMaxDisplayNameCharacters) {
    throw IdentityError("the display name must have 1 to " +
                        std::to_string(kMaxDisplayNameCharacters) + " characters; shorten it");
  }
  if (has_control_character(name)) {
    throw IdentityError(
        "the display name must not contain control characters such as line "
        "breaks or tabs; remove them");
  }
  return name;
}

void check_password_length(const std::string& password) {
  if (password.size() < kMinPasswordBytes) {
    throw IdentityError("the password must have at least " + std::to_string(kMinPasswordBytes) +
                        " characters; choose a longer one");
  }
  if (password.size() > kMaxPasswordBytes) {
    throw IdentityError("the password must have at most " + std::to_string(kMaxPasswordBytes) +
                        " characters; choose a shorter one");
  }
}

}  // namespace tribe::kernel::identity
