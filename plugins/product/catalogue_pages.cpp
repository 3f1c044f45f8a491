// The catalogue: products with their stock left, pre-orders that say when they ship, products
// open only to seed users until a day, and the feedback seed users leave on a product.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "pages.hpp"
#include "seed_programme.hpp"

namespace tribe::product {

std::string today_text(const sdk::Context& context) {
  const std::chrono::year_month_day day{
      std::chrono::floor<std::chrono::days>(context.clock().now())};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

std::string now_text(const sdk::Context& context) {
  const auto now = context.clock().now();
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(now - day)};
  char text[16];
  std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return today_text(context) + text;
}

bool seed_user(sdk::Context& context) {
  return context.member() && SeedProgramme(context.store()).is_seed(*context.member());
}

std::vector<Product> products_of(const sdk::Context& context) {
  return products_from(context.site().config().value("products", sdk::Json::array()));
}

namespace {

struct Found {
  Product product;
  const sdk::Offer* offer;
};

// The catalogue's product `id` with its offer, or 404.
Found product_or_404(sdk::Context& context, const std::string& id) {
  auto product = find_product(products_of(context), id);
  const sdk::Offer* offer = product ? sdk::flows::find_offer(context, id) : nullptr;
  if (!offer) throw sdk::HttpError(404, context.text("product.not_found"));
  return {*product, offer};
}

// What everyone may know of a product: no idempotency key, no feedback.
sdk::Json product_json(const sdk::Request& request, sdk::Context& context, const Found& found,
                       const std::string& today, bool seed) {
  const Product& product = found.product;
  const sdk::Offer& offer = *found.offer;
  sdk::Json json = {
      {"id", offer.id},
      {"title", offer.title},
      {"description", offer.description},
      {"details", product.details},
      {"price", sdk::display_price(offer)},
      {"preorder", is_preorder(product, today)},
      {"ships", product.ships},
      {"early_access", in_early_access(product, today)},
      {"early_access_until", product.early_access_until},
      {"open", open_to(product, today, seed || (context.member() && context.member()->admin))},
      {"url", request.base + "/products/" + offer.id}};
  json.update(stock_json(context.money().seats_left(offer.id)));
  return json;
}

// While the product is in early access, a visitor logs in first and a member who is neither a
// seed user nor an admin is refused (403, saying from which day it opens to everyone).
std::optional<sdk::Response> refusal(const sdk::Request& request, sdk::Context& context,
                                     const Found& found) {
  if (!in_early_access(found.product, today_text(context))) return std::nullopt;
  if (!context.member()) {
    return sdk::Response::redirect(request.base + "/login?next=/products/" + found.offer->id);
  }
  if (!seed_user(context) && !context.member()->admin) {  // admins run the site
    throw sdk::HttpError(
        403, context.text("product.early_access_only") + " " + found.product.early_access_until);
  }
  return std::nullopt;
}

sdk::Json feedback_json(sdk::Context& context, const std::string& offer_id) {
  sdk::Json list = sdk::Json::array();
  for (const auto& row : SeedProgramme(context.store()).feedback(offer_id)) {
    list.push_back({{"author", row["author"]},
                    {"rating", row["rating"]},
                    {"body", row["body"]},
                    {"at", row["created_at"].get<std::string>().substr(0, 10)}});
  }
  return list;
}

}  // namespace

sdk::Json product_listing(const sdk::Request& request, sdk::Context& context) {
  const std::string today = today_text(context);
  const bool seed = seed_user(context);
  sdk::Json list = sdk::Json::array();
  for (const auto& product : products_of(context)) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, product.offer);
    // Defence only: the section check refuses a site whose product names no offer.
    if (!offer) continue;
    sdk::Json item = product_json(request, context, {product, offer}, today, seed);
    item["owned"] = context.member() && sdk::flows::SellOnce(offer->id).owned(context);
    list.push_back(std::move(item));
  }
  return list;
}

sdk::Response product_page(const sdk::Request& request, sdk::Context& context) {
  const Found found = product_or_404(context, request.params.at("id"));
  if (auto answer = refusal(request, context, found)) return *answer;
  const bool seed = seed_user(context);
  sdk::Json data = product_json(request, context, found, today_text(context), seed);
  data["owned"] = context.member() && sdk::flows::SellOnce(found.offer->id).owned(context);
  data["seed_user"] = seed;
  data["logged_in"] = context.member() != nullptr;
  const bool sees_feedback = seed || (context.member() && context.member()->admin);
  data["sees_feedback"] = sees_feedback;
  sdk::Json feedback = sees_feedback ? feedback_json(context, found.offer->id) : sdk::Json::array();
  data["has_feedback"] = !feedback.empty();
  data["feedback"] = std::move(feedback);
  data["idempotency_key"] = sdk::flows::fresh_idempotency_key();
  return sdk::Response::html(context.render_page("product", data));
}

sdk::Response products_api(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::json({{"site", context.site().id()},
                              {"today", today_text(context)},
                              {"seed_user", seed_user(context)},
                              {"products", product_listing(request, context)}});
}

sdk::Response product_api(const sdk::Request& request, sdk::Context& context) {
  const Found found = product_or_404(context, request.params.at("id"));
  if (!context.member() && in_early_access(found.product, today_text(context))) {
    throw sdk::HttpError(401, context.text("product.log_in_first"));
  }
  refusal(request, context, found);
  sdk::Json json = product_json(request, context, found, today_text(context), seed_user(context));
  json["owned"] = context.member() && sdk::flows::SellOnce(found.offer->id).owned(context);
  return sdk::Response::json(json);
}

// Orders one of the product (its stock, or its pre-order batch, never oversells: the kernel
// refuses with 409 when none is left) and sends the buyer to pay. A product may be bought again.
sdk::Response buy_product(const sdk::Request& request, sdk::Context& context) {
  const Found found = product_or_404(context, request.params.at("id"));
  if (!context.member()) {
    return sdk::Response::redirect(request.base + "/login?next=/products/" + found.offer->id);
  }
  if (auto answer = refusal(request, context, found)) return *answer;
  const sdk::OrderTicket ticket =
      context.money().order(found.offer->id, request.field("idempotency_key"), 1);
  return sdk::Response::redirect(request.base + ticket.checkout_path);
}

// A seed user's feedback: a rating of 1 to 5 and 1 to 500 characters; others are refused (403).
sdk::Response leave_feedback(const sdk::Request& request, sdk::Context& context) {
  const Found found = product_or_404(context, request.params.at("id"));
  if (!context.member()) {
    return sdk::Response::redirect(request.base + "/login?next=/products/" + found.offer->id);
  }
  if (auto answer = refusal(request, context, found)) return *answer;
  if (!seed_user(context)) throw sdk::HttpError(403, context.text("product.feedback_seed_only"));
  const std::string body = request.field("body");
  const std::string rating_text = request.field("rating");
  const int rating = rating_text.size() == 1 && rating_text[0] >= '1' && rating_text[0] <= '5'
                         ? rating_text[0] - '0'
                         : 0;
  const auto blank = body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (rating == 0 || blank || characters(body) > 500) {
    throw sdk::HttpError(400, context.text("product.feedback_fields"));
  }
  SeedProgramme(context.store())
      .add_feedback(found.offer->id, *context.member(), rating, body, now_text(context));
  return sdk::Response::redirect(request.base + "/products/" + found.offer->id + "#feedback");
}

// The product's feedback for seed users and the site's admins.
sdk::Response feedback_api(const sdk::Request& request, sdk::Context& context) {
  const Found found = product_or_404(context, request.params.at("id"));
  if (!context.member()) throw sdk::HttpError(401, context.text("product.log_in_first"));
  if (!seed_user(context) && !context.member()->admin) {
    throw sdk::HttpError(403, context.text("product.feedback_seed_only"));
  }
  return sdk::Response::json(
      {{"product", found.offer->id}, {"feedback", feedback_json(context, found.offer->id)}});
}

}  // namespace tribe::product
