#pragma once
// What a site sells, as its YAML declares it (the `offers` key). Plain data: the kernel's money
// service turns an offer into orders, payments, entitlements and ledger transfers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tribe/sdk/abi.hpp"

namespace tribe::sdk {

struct TRIBE_SDK_API Offer {
  std::string id;    // unique per site
  std::string kind;  // membership, group, course, ticket, product, ...
  std::string title;
  std::string description;
  std::int64_t price = 0;  // integer minor units of `currency` (3650 CNY = 36.50 yuan)
  std::string currency;    // ISO 4217
  std::optional<std::int64_t> capacity;  // seats or stock; none: unlimited
  std::optional<std::string> term;       // ISO 8601 duration ("P1Y", "P30D"); none: one-time
  int trial_days = 0;
  int grace_days = 0;
  std::vector<std::string> grants;  // entitlement keys the buyer gets
  int refund_window_days = 0;
  std::vector<int> commission_basis_points;  // per referral level; 1000 = 10%
  // Added in ABI 3.0. Money the site keeps for the buyer until a condition decides: "" (none: the
  // payment is revenue), "deposit" (given back or forfeited) or "escrow" (released to the
  // offer's payout account, or given back).
  std::string holds;
  std::string forfeit_to = "site:revenue";  // deposit: the ledger account a forfeit goes to
  int fee_basis_points = 0;                 // escrow: the site's fee on release; 500 = 5%
};

// "199.00 CNY", "500 JPY", "-0.50 EUR": minor units shown with the currency's decimals (none for
// the ISO 4217 currencies without minor units, two for the others). Header-only, as the kernel's
// pages show amounts the same way.
inline std::string display_price(std::int64_t minor_units, const std::string& currency) {
  static constexpr const char* kWhole[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                           "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
  for (const char* whole : kWhole) {
    if (currency == whole) return std::to_string(minor_units) + " " + currency;
  }
  const std::int64_t units = minor_units / 100;
  const std::int64_t cents = (minor_units < 0 ? -minor_units : minor_units) % 100;
  const std::string sign = minor_units < 0 && units == 0 ? "-" : "";
  return sign + std::to_string(units) + "." + (cents < 10 ? "0" : "") + std::to_string(cents) +
         " " + currency;
}

inline std::string display_price(const Offer& offer) {
  return display_price(offer.price, offer.currency);
}

}  // namespace tribe::sdk
