#pragma once
#include <cstdio>
#include <string>
#include <tribe/sdk/sdk.hpp>

namespace tribe::learning {

// "199.00 CNY": an offer's price in major units (every currency the camp uses has two decimals).
inline std::string price_text(const sdk::Offer& offer) {
  char text[48];
  const std::int64_t minor = offer.price;
  std::snprintf(text, sizeof text, "%lld.%02lld %s", static_cast<long long>(minor / 100),
                static_cast<long long>(minor % 100), offer.currency.c_str());
  return text;
}

}  // namespace tribe::learning
