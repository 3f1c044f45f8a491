#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace tribe::kernel::money {

// A value the money service refuses: a bad currency code, account, or transfer.
class MoneyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A sum of money in the currency's minor unit (cents for EUR, yen for JPY), never a float: a
// ledger must add up exactly. Signed: in a transfer, positive is a debit, negative a credit.
class Amount {
 public:
  // Throws MoneyError unless `currency` is an ISO 4217 code: three upper-case letters ("EUR").
  Amount(std::int64_t minor_units, std::string currency);

  std::int64_t minor_units() const { return minor_units_; }
  const std::string& currency() const { return currency_; }
  bool operator==(const Amount&) const = default;

 private:
  std::int64_t minor_units_;
  std::string currency_;
};

// Whether `code` has the shape of an ISO 4217 currency code.
bool is_currency_code(const std::string& code);

// Whether `name` can name a payment provider ("sandbox", "manual"), and so the ledger account
// "provider:<name>": lower-case letters, digits, '_' and '-', starting with a letter.
bool is_provider_name(const std::string& name);

}  // namespace tribe::kernel::money
