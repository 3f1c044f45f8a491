#include "kernel/money/pages.hpp"

#include <chrono>
#include <ctime>
#include <map>

#include "kernel/identity/token.hpp"
#include "kernel/money/pages_files.hpp"
#include "kernel/money/webhook_signature.hpp"
#include "tribe/sdk/bundle.hpp"
#include "tribe/sdk/context.hpp"
#include "tribe/sdk/flows.hpp"

namespace tribe::kernel::money {
namespace {

using sdk::Context;
using sdk::HttpError;
using sdk::Json;
using sdk::Request;
using sdk::Response;

// Request header names arrive in lower case.
constexpr const char* kSignatureHeaderName = "tribe-signature";

using sdk::flows::find_offer;

std::string offer_title(Context& context, const std::string& id) {
  const sdk::Offer* offer = find_offer(context, id);
  return offer ? offer->title : id;
}

// "2026-11-23 15:04 UTC"
std::string shown_time(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

Json order_json(Context& context, const Order& order) {
  Json json = {{"id", order.id},
               {"offer", order.offer_id},
               {"offer_title", offer_title(context, order.offer_id)},
               {"quantity", order.quantity},
               {"amount", order.amount.minor_units()},
               {"currency", order.amount.currency()},
               {"display_amount", display_amount(order.amount)},
               {"state", to_string(order.state)},
               {"provider", order.provider},
               {"created_at", shown_time(order.created_at)},
               {"reserved_until", shown_time(order.reserved_until)},
               {"coupon", order.coupon}};
  if (order.coupon > 0) {
    json["display_coupon"] = display_amount(Amount(order.coupon, order.amount.currency()));
  }
  return json;
}

// An order of the member asking, on this site; anything else is "not found" so that order ids of
// other members and other sites reveal nothing.
Order owned_order(OrderBook& orders, Context& context, const std::string& order_id) {
  const sdk::Member* member = context.member();
  auto order = orders.find(context.site().id(), order_id);
  if (!member || !order || (order->account_id != member->id && !member->admin)) {
    throw HttpError(404, "no such order");
  }
  return *order;
}

class Pages {
 public:
  Pages(OrderBook& orders, PaymentBook& payments, const EntitlementBook& entitlements,
        const ReferralBook& referrals, const CommissionBook& commissions,
        const SandboxGateway& gateway, Cashier& cashier)
      : orders_(orders),
        payments_(payments),
        entitlements_(entitlements),
        referrals_(referrals),
        commissions_(commissions),
        gateway_(gateway),
        cashier_(cashier) {}

  Response offers(const Request&, Context& context) {
    Json list = Json::array();
    for (const auto& offer : context.site().offers()) {
      if (!cashier_.listed(context.site().id(), offer.id)) continue;
      Json item = {{"id", offer.id},
                   {"title", offer.title},
                   {"description", offer.description},
                   {"price", display_amount(Amount(offer.price, offer.currency))},
                   // One key per rendering: a double-clicked Buy makes one order.
                   {"idempotency_key", identity::random_token(16)}};
      if (offer.term) item["term"] = *offer.term;
      if (const auto coupon = cashier_.referral_coupon(context.site().id(), offer.id)) {
        item["coupon"] = display_amount(Amount(coupon, offer.currency));
      }
      list.push_back(std::move(item));
    }
    return Response::html(context.render_page("offers", {{"offers", list}}));
  }

  Response create_order_form(const Request& request, Context& context) {
    if (!context.member()) return Response::redirect(request.base + "/login?next=/offers");
    try {
      const Order order =
          create(request.field("offer"), request.field("idempotency_key"), 1, context);
      return Response::redirect(request.base + "/checkout/" + order.id);
    } catch (const SoldOut&) {
      throw HttpError(409, context.text("money.sold_out"));
    }
  }

  // POST /api/orders {"offer", "idempotency_key", "quantity"?}: 201 made, 200 made before.
  Response create_order_api(const Request& request, Context& context) {
    if (!context.member()) throw HttpError(401, "log in first: orders belong to a member");
    Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("offer") || !body["offer"].is_string() ||
        !body.contains("idempotency_key") || !body["idempotency_key"].is_string()) {
      throw HttpError(400, "send a JSON object with \"offer\" and \"idempotency_key\" strings");
    }
    const int quantity = body.contains("quantity") && body["quantity"].is_number_integer()
                             ? body["quantity"].get<int>()
                             : 1;
    bool created = false;
    const Order order =
        create(body["offer"].get<std::string>(), body["idempotency_key"].get<std::string>(),
               quantity, context, &created);
    Json json = order_json(context, order);
    json["checkout"] = request.base + "/checkout/" + order.id;
    return Response::json(json, created ? 201 : 200);
  }

  Response order_api(const Request& request, Context& context) {
    return Response::json(
        order_json(context, owned_order(orders_, context, request.params.at("order"))));
  }

  Response checkout(const Request& request, Context& context) {
    if (!context.member()) return Response::redirect(request.base + "/login?next=/account");
    const Order order = owned_order(orders_, context, request.params.at("order"));
    Json data = order_json(context, order);
    data["order_id"] = order.id;
    data["amount"] = display_amount(order.amount);
    data["pending"] = order.state == OrderState::Pending;
    data["sandbox"] = order.provider == "sandbox";
    data["manual"] = order.provider == "manual";
    data["refundable"] =
        (order.state == OrderState::Paid || order.state == OrderState::Fulfilled) &&
        (context.member()->admin || inside_refund_window(order, context));
    data["admin_confirm"] =
        (order.state == OrderState::Pending || order.state == OrderState::Expired) &&
        order.provider == "manual" && context.member()->admin;
    return Response::html(context.render_page("checkout", data));
  }

  // The sandbox gateway's "pay" button: the gateway tells the site over its signed webhook, like
  // a real one would, then the buyer comes back to the order.
  Response sandbox_pay(const Request& request, Context& context) {
    const Order order = owned_order(orders_, context, request.params.at("order"));
    const int status =
        gateway_.pay(order, request.field("outcome") != "failed", site_address(request),
                     cashier_.settings(context.site().id()).secret);
    if (status != 200) {
      context.log().error("sandbox webhook for order " + order.id + " answered " +
                          std::to_string(status));
    }
    return Response::redirect(request.base + "/checkout/" + order.id);
  }

  // POST /payments/sandbox/webhook: only a correctly signed, fresh event is applied, once.
  Response sandbox_webhook(const Request& request, Context& context) {
    const PaymentSettings settings = cashier_.settings(context.site().id());
    // A signature's age is about the network, not the business: checked against this machine's
    // time even when the site's clock is moved (--clock-offset), like the gateway signs it.
    const SignatureCheck check =
        verify_webhook(settings.secret, request.header(kSignatureHeaderName).value_or(""),
                       request.body, std::chrono::system_clock::now());
    if (check != SignatureCheck::Valid) {
      context.log().warn("sandbox webhook refused from " + request.client_address + ": " +
                         describe(check));
      throw HttpError(400, "webhook refused: " + describe(check));
    }
    const PaymentEvent event = parse_event("sandbox", request.body);
    return apply(event, context);
  }

  // A site admin confirms that a bank transfer for the order arrived.
  Response manual_confirm(const Request& request, Context& context) {
    const sdk::Member* member = context.member();
    if (!member || !member->admin) throw HttpError(403, "only a site admin confirms payments");
    const Order order = owned_order(orders_, context, request.params.at("order"));
    const PaymentEvent event{"manual", "manual:" + order.id + ":paid", "payment.succeeded",
                             order.id, order.amount};
    apply(event, context);
    if (request.field("back") == "transfers") {
      return Response::redirect(request.base + "/admin/transfers");
    }
    return Response::redirect(request.base + "/checkout/" + order.id);
  }

  // The site admin's list of bank transfers still to confirm: unpaid manual orders, newest first.
  Response transfers(const Request& request, Context& context) {
    const sdk::Member* member = context.member();
    if (!member) return Response::redirect(request.base + "/login?next=/admin/transfers");
    if (!member->admin) throw HttpError(403, "only a site admin sees the transfers to confirm");
    Json list = Json::array();
    for (const auto& order : orders_.unpaid_of_provider(context.site().id(), "manual")) {
      Json item = order_json(context, order);
      item["account"] = order.account_id;
      list.push_back(std::move(item));
    }
    return Response::html(context.render_page("transfers", {{"orders", list}}));
  }

  // A refund goes through the order's provider: the sandbox gateway sends the site a signed
  // refund.succeeded event (the same path a real gateway's refund takes); a bank transfer is
  // paid back by an admin, who records it here. Members may ask inside the offer's refund
  // window, admins at any time. One refund per order: the event id is the order's.
  Response refund(const Request& request, Context& context) {
    const Order order = owned_order(orders_, context, request.params.at("order"));
    const sdk::Member& member = *context.member();
    if (order.state != OrderState::Paid && order.state != OrderState::Fulfilled) {
      throw HttpError(409, "order " + order.id + " is " + to_string(order.state) +
                               "; only a paid order can be refunded");
    }
    if (!member.admin && !inside_refund_window(order, context)) {
      throw HttpError(403, context.text("money.refund.window_closed"));
    }
    if (order.provider != "sandbox" && !member.admin) {
      throw HttpError(403, context.text("money.refund.ask_admin"));
    }
    try {
      cashier_.refund(context.site().id(), order, site_address(request), context.clock().now());
    } catch (const MoneyError& e) {
      context.log().error(e.what());
      throw HttpError(502, "the payment provider did not accept the refund; try again later");
    }
    context.log().info("order " + order.id + " refunded by " + member.id);
    return Response::redirect(request.base + "/checkout/" + order.id);
  }

  // The member's orders and what they may use until when: the "my account" page and its JSON.
  Json account_json(Context& context) {
    const sdk::Member* member = context.member();
    Json list = Json::array();
    for (const auto& order : orders_.orders_of(context.site().id(), member->id)) {
      Json item = order_json(context, order);
      item["pending"] = order.state == OrderState::Pending;
      list.push_back(std::move(item));
    }
    const auto now = context.clock().now();
    Json access = Json::array();
    for (const auto& entitlement : entitlements_.of(context.site().id(), member->id)) {
      access.push_back({{"key", entitlement.key},
                        {"ends_at", entitlement.ends_at ? shown_time(*entitlement.ends_at) : ""},
                        {"active", entitlements_.allows(context.site().id(), member->id,
                                                        entitlement.key, now)}});
    }
    return {{"orders", list}, {"entitlements", access}};
  }

  // A partner's link, the people it brought and the commissions earned, as JSON.
  Json partner_json(const Request& request, Context& context) {
    const sdk::Member* member = context.member();
    const std::string& tenant = context.site().id();
    Json commissions = Json::array();
    std::map<std::string, std::int64_t> held;
    std::map<std::string, std::int64_t> payable;
    for (const auto& commission : commissions_.of_partner(tenant, member->id)) {
      const std::string& currency = commission.amount.currency();
      if (commission.state == Commission::State::Held)
        held[currency] += commission.amount.minor_units();
      if (commission.state == Commission::State::Payable) {
        payable[currency] += commission.amount.minor_units();
      }
      commissions.push_back({{"order", commission.order_id},
                             {"level", commission.level},
                             {"amount", commission.amount.minor_units()},
                             {"currency", currency},
                             {"display_amount", display_amount(commission.amount)},
                             {"state", to_string(commission.state)},
                             {"holds_until", shown_time(commission.holds_until)}});
    }
    auto totals = [](const std::map<std::string, std::int64_t>& sums) {
      Json list = Json::array();
      for (const auto& [currency, units] : sums)
        list.push_back(display_amount(Amount(units, currency)));
      return list;
    };
    return {{"partner", member->id},
            {"stage", context.stage()},
            {"link", request.base + "/?ref=" + member->id},
            {"referrals", referrals_.referred_by(tenant, member->id)},
            {"commissions", commissions},
            {"held", totals(held)},
            {"payable", totals(payable)}};
  }

  Response partner(const Request& request, Context& context) {
    if (!context.member()) return Response::redirect(request.base + "/login?next=/partner");
    Json data = partner_json(request, context);
    data["is_partner"] = data["stage"] == "partner";
    data["referral_count"] = data["referrals"].size();
    return Response::html(context.render_page("partner", data));
  }

  Response partner_api(const Request& request, Context& context) {
    if (!context.member()) throw HttpError(401, "log in first");
    return Response::json(partner_json(request, context));
  }

 private:
  static bool inside_refund_window(const Order& order, Context& context) {
    const sdk::Offer* offer = find_offer(context, order.offer_id);
    if (!offer || !order.paid_at) return false;
    return context.clock().now() < *order.paid_at + std::chrono::days(offer->refund_window_days);
  }

  Order create(const std::string& offer_id, const std::string& key, int quantity, Context& context,
               bool* created = nullptr) {
    const sdk::Offer* offer = find_offer(context, offer_id);
    if (!offer) throw HttpError(404, "no offer '" + offer_id + "' on this site");
    try {
      auto result = cashier_.order(context.site().id(), context.member()->id, *offer, key, quantity,
                                   Till::OfferPages, context.clock().now());
      if (created) *created = result.created;
      return result.order;
    } catch (const OrderConflict& e) {
      throw HttpError(409, e.what());
    } catch (const SoldOut& e) {
      throw HttpError(409, e.what());
    } catch (const NotForBuyer& e) {
      throw HttpError(403, e.what());
    } catch (const MoneyError& e) {
      throw HttpError(400, e.what());
    }
  }

  // Where the gateway reaches this site: the way the browser did.
  static SiteAddress site_address(const Request& request) {
    return {request.header("host").value_or("localhost"), request.base};
  }

  static PaymentEvent parse_event(const std::string& provider, const std::string& body) {
    const Json json = Json::parse(body, nullptr, false);
    auto text = [&](const char* key) {
      if (!json.is_object() || !json.contains(key) || !json[key].is_string()) {
        throw HttpError(400, std::string("the event needs a string \"") + key + "\"");
      }
      return json[key].get<std::string>();
    };
    const std::string id = text("id");
    const std::string type = text("type");
    const std::string order_id = text("order_id");
    const std::string currency = text("currency");
    if (!json["amount"].is_number_integer()) {
      throw HttpError(400, "the event needs an integer \"amount\" in minor units");
    }
    try {
      return {provider, id, type, order_id, Amount(json["amount"].get<std::int64_t>(), currency)};
    } catch (const MoneyError& e) {
      throw HttpError(400, e.what());
    }
  }

  Response apply(const PaymentEvent& event, Context& context) {
    const PaymentOutcome outcome =
        payments_.apply(context.site().id(), event, context.clock().now());
    const std::string result = to_string(outcome.applied);
    if (outcome.applied != Applied::Applied && outcome.applied != Applied::Duplicate) {
      context.log().warn("payment event " + event.id + " for order " + event.order_id + ": " +
                         result + (outcome.detail.empty() ? "" : " (" + outcome.detail + ")"));
    }
    return Response::json({{"result", result}, {"event", event.id}});
  }

  OrderBook& orders_;
  PaymentBook& payments_;
  const EntitlementBook& entitlements_;
  const ReferralBook& referrals_;
  const CommissionBook& commissions_;
  const SandboxGateway& gateway_;
  Cashier& cashier_;
};

template <typename Method>
sdk::Handler route_to(const std::shared_ptr<Pages>& pages, Method method) {
  return [pages, method](const Request& request, Context& context) {
    return ((*pages).*method)(request, context);
  };
}

}  // namespace

void add_member_page(sdk::Registry& registry, const std::string& path, const std::string& api_path,
                     const std::string& template_name, MemberData data) {
  registry.add_route({sdk::Method::Get, path, [=](const Request& request, Context& context) {
                        if (!context.member()) {
                          return Response::redirect(request.base + "/login?next=" + path);
                        }
                        return Response::html(
                            context.render_page(template_name, data(request, context)));
                      }});
  registry.add_route({sdk::Method::Get, api_path, [=](const Request& request, Context& context) {
                        if (!context.member()) throw HttpError(401, "log in first");
                        return Response::json(data(request, context));
                      }});
}

std::string display_amount(const Amount& amount) {
  return sdk::display_price(amount.minor_units(), amount.currency());
}

void register_pages(sdk::Registry& registry, OrderBook& orders, PaymentBook& payments,
                    const EntitlementBook& entitlements, const ReferralBook& referrals,
                    const CommissionBook& commissions, const SandboxGateway& gateway,
                    Cashier& cashier) {
  sdk::register_bundled_files(registry, pages_files());
  auto pages = std::make_shared<Pages>(orders, payments, entitlements, referrals, commissions,
                                       gateway, cashier);
  using sdk::Method;
  registry.add_route({Method::Get, "/offers", route_to(pages, &Pages::offers)});
  registry.add_route({Method::Post, "/orders", route_to(pages, &Pages::create_order_form)});
  registry.add_route({Method::Get, "/checkout/{order}", route_to(pages, &Pages::checkout)});
  registry.add_route({Method::Post, "/checkout/{order}/pay", route_to(pages, &Pages::sandbox_pay)});
  registry.add_route(
      {Method::Post, "/payments/sandbox/webhook", route_to(pages, &Pages::sandbox_webhook), false});
  registry.add_route(
      {Method::Post, "/payments/manual/{order}/confirm", route_to(pages, &Pages::manual_confirm)});
  registry.add_route({Method::Post, "/orders/{order}/refund", route_to(pages, &Pages::refund)});
  registry.add_route({Method::Get, "/admin/transfers", route_to(pages, &Pages::transfers)});
  add_member_page(
      registry, "/account", "/api/account", "account",
      [pages](const Request&, Context& context) { return pages->account_json(context); });
  registry.add_route({Method::Get, "/partner", route_to(pages, &Pages::partner)});
  registry.add_route({Method::Get, "/api/partner", route_to(pages, &Pages::partner_api)});
  registry.add_route({Method::Post, "/api/orders", route_to(pages, &Pages::create_order_api)});
  registry.add_route({Method::Get, "/api/orders/{order}", route_to(pages, &Pages::order_api)});
}

}  // namespace tribe::kernel::money
