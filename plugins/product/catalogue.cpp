#include "catalogue.hpp"

#include <chrono>
#include <cstdio>

namespace tribe::product {

std::vector<Product> products_from(const sdk::Json& list) {
  std::vector<Product> products;
  if (!list.is_array()) return products;
  for (const auto& item : list) {
    products.push_back({item.value("offer", ""), item.value("ships", ""),
                        item.value("early_access_until", ""), item.value("details", "")});
  }
  return products;
}

std::optional<Product> find_product(const std::vector<Product>& products,
                                    const std::string& offer) {
  for (const auto& product : products) {
    if (product.offer == offer) return product;
  }
  return std::nullopt;
}

bool is_preorder(const Product& product, const std::string& today) {
  return !product.ships.empty() && product.ships > today;
}

bool in_early_access(const Product& product, const std::string& today) {
  return !product.early_access_until.empty() && today < product.early_access_until;
}

bool open_to(const Product& product, const std::string& today, bool seed_user) {
  return seed_user || !in_early_access(product, today);
}

bool is_day(const std::string& text) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  char tail = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3) {
    return false;
  }
  return std::chrono::year_month_day{std::chrono::year(year), std::chrono::month(month),
                                     std::chrono::day(day)}
      .ok();
}

sdk::Json stock_json(std::optional<std::int64_t> left) {
  if (!left) return {{"stock_left", nullptr}, {"sold_out", false}, {"limited", false}};
  return {{"stock_left", *left}, {"sold_out", *left <= 0}, {"limited", true}};
}

}  // namespace tribe::product
