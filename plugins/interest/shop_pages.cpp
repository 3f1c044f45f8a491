// Books and merchandise (书与周边): the site's offers of kind `product`, each with its price and
// the stock left (its capacity); bought through the kernel's checkout like any offer (the flow
// kit's SellOnce). The kernel never oversells a capacity: a buyer too many gets 409.
#include <vector>

#include "pages.hpp"

namespace tribe::interest {
namespace {

std::vector<const sdk::Offer*> products(sdk::Context& context) {
  std::vector<const sdk::Offer*> offers;
  for (const auto& offer : context.site().offers()) {
    if (offer.kind == "product") offers.push_back(&offer);
  }
  return offers;
}

sdk::Json product_listing(sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const sdk::Offer* offer : products(context)) {
    const auto left = context.money().seats_left(offer->id);
    list.push_back({{"id", offer->id},
                    {"title", offer->title},
                    {"description", offer->description},
                    {"price", sdk::display_price(*offer)},
                    {"limited", left.has_value()},
                    {"stock", left ? sdk::Json(*left) : sdk::Json()},
                    {"sold_out", left && *left <= 0},
                    {"owned", context.member() && sdk::flows::SellOnce(offer->id).owned(context)},
                    {"idempotency_key", sdk::flows::fresh_idempotency_key()}});
  }
  return list;
}

}  // namespace

sdk::Response shop_page(const sdk::Request&, sdk::Context& context) {
  sdk::Json list = product_listing(context);
  const bool has_products = !list.empty();
  return sdk::Response::html(
      context.render_page("shop", {{"products", std::move(list)}, {"has_products", has_products}}));
}

sdk::Response api_shop(const sdk::Request&, sdk::Context& context) {
  sdk::Json list = product_listing(context);
  for (auto& item : list) item.erase("idempotency_key");
  return sdk::Response::json({{"site", context.site().id()}, {"products", std::move(list)}});
}

// The Buy button: orders one of the product and sends the buyer to pay (a visitor logs in first).
sdk::Response buy_product(const sdk::Request& request, sdk::Context& context) {
  const std::string& id = request.params.at("id");
  for (const sdk::Offer* offer : products(context)) {
    if (offer->id == id) return sdk::flows::SellOnce(id).buy()(request, context);
  }
  throw sdk::HttpError(404, context.text("interest.product_not_found"));
}

}  // namespace tribe::interest
