#pragma once
// The catalogue's rules: each product is one of the site's offers (its capacity the stock), maybe a
// pre-order (`ships` after today: "ships on <date>", the capacity its batch) and maybe open only to
// seed users until `early_access_until`. Plain functions, so the rules are tested without a server.
#include <cstdint>
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::product {

struct Product {
  std::string offer;               // the offer selling it (title, price, stock come from it)
  std::string ships;               // YYYY-MM-DD; "" ships now
  std::string early_access_until;  // YYYY-MM-DD; "" open to every member
  std::string details;             // more text for its page
};

// The products of the YAML's `products` list, in order.
std::vector<Product> products_from(const sdk::Json& list);
std::optional<Product> find_product(const std::vector<Product>& products, const std::string& offer);

// A pre-order while its ship date is after `today` (ISO dates compare as text).
bool is_preorder(const Product& product, const std::string& today);
// Only seed users may see and buy it while `today` is before `early_access_until`.
bool in_early_access(const Product& product, const std::string& today);
// Whether a member (a seed user or not) may see and buy the product today.
bool open_to(const Product& product, const std::string& today, bool seed_user);

// Whether `text` is a day written YYYY-MM-DD (a real one: 2027-02-30 is not).
bool is_day(const std::string& text);

// "stock" for the listing: {"stock_left": n, "sold_out": n <= 0} or {"stock_left": null} for an
// offer without capacity.
sdk::Json stock_json(std::optional<std::int64_t> left);

}  // namespace tribe::product
