#include "kernel/money/money.hpp"

#include <algorithm>

namespace tribe::kernel::money {

bool is_currency_code(const std::string& code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool is_provider_name(const std::string& name) {
  constexpr std::size_t kMaxLength = 100;
  return !name.empty() && name.size() <= kMaxLength && name[0] >= 'a' && name[0] <= 'z' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

Amount::Amount(std::int64_t minor_units, std::string currency)
    : minor_units_(minor_units), currency_(std::move(currency)) {
  if (!is_currency_code(currency_)) {
    throw MoneyError("currency '" + currency_ +
                     "' is not an ISO 4217 code; use three upper-case letters, e.g. EUR");
  }
}

}  // namespace tribe::kernel::money
