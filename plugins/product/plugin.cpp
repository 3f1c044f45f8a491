// The product plugin: a community held together by a product and its word of mouth (产品型社群),
// after the seeds' mother-and-baby community and Xiaomi's 100 seed users. A catalogue with stock,
// pre-orders that ship on a day, a seed-user programme (early access and feedback) and city club
// events with tickets.
#include <string>
#include <tribe/sdk/sdk.hpp>

#include "pages.hpp"
#include "section_check.hpp"
#include "seed_programme.hpp"

namespace tribe::product {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto product = Schema::object({
      required("offer", Schema::string(),
               "the offer selling it: title, price and description; its capacity is the stock "
               "(or the pre-order batch)"),
      optional("ships", Schema::string(),
               "a pre-order until this day, e.g. 2027-01-15 (the page says it ships then)"),
      optional("early_access_until", Schema::string(),
               "only seed users may see and buy it before this day, e.g. 2026-12-20"),
      optional("details", Schema::string(), "more text for the product's page"),
  });
  auto event = Schema::object({
      required("id", Schema::string(), "URL name of the event, e.g. shanghai-2027-01"),
      required("city", Schema::string(), "e.g. 上海"),
      required("date", Schema::string(), "the event's day, e.g. 2027-01-09"),
      required("offer", Schema::string(), "the ticket offer: kind ticket, its capacity the seats"),
      required("title", Schema::string()),
      optional("venue", Schema::string()),
      optional("description", Schema::string()),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("products", Schema::list_of(product), "the catalogue, in the order shown"),
      optional("seed_invitations", Schema::list_of(Schema::string()),
               "invitation codes of the seed-user programme, each redeemable once"),
      optional("events", Schema::list_of(event), "city club events with tickets"),
  });
}

// The catalogue, the next events and the way into the seed-user programme.
sdk::Response home(const sdk::Request& request, sdk::Context& context) {
  sdk::Json products = product_listing(request, context);
  sdk::Json events = event_groups(request, context, "");
  const bool has_products = !products.empty();
  const bool has_events = !events.empty();
  return sdk::Response::html(
      context.render_page("home", {{"tagline", context.site().config().value("tagline", "")},
                                   {"products", std::move(products)},
                                   {"has_products", has_products},
                                   {"groups", std::move(events)},
                                   {"has_events", has_events},
                                   {"seed_user", seed_user(context)},
                                   {"logged_in", context.member() != nullptr}}));
}

// A ticket offer without a capacity could sell more tickets than the room holds. Not a mistake
// of the section (an event may take everyone who comes), so only a warning when the site starts.
// The section check (section_problems) has refused a site whose event names no offer.
void warn_uncapped_tickets(sdk::Context& context) {
  for (const auto& event : events_of(context)) {
    const sdk::Offer* offer = sdk::flows::find_offer(context, event.offer);
    if (offer && !offer->capacity) {
      context.log().warn("product.events: event '" + event.id + "': its offer '" + offer->id +
                         "' has no capacity, so it could sell more tickets than the room holds");
    }
  }
}

class ProductPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"product",
         "a product and its word of mouth: catalogue, pre-orders, seed users, city "
         "club events"});
    registry.set_config_schema(section_schema());
    // What the schema cannot see (a product's or event's unknown offer, a date that is not a
    // day): file:line:col errors, so such a site is not served until its YAML is fixed.
    registry.set_section_check(section_problems);
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    registry.on_site_start(warn_uncapped_tickets);
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/api/products", products_api});
    registry.add_route({sdk::Method::Get, "/products/{id}", product_page});
    registry.add_route({sdk::Method::Get, "/api/products/{id}", product_api});
    registry.add_route({sdk::Method::Post, "/products/{id}/buy", buy_product});
    registry.add_route({sdk::Method::Post, "/products/{id}/feedback", leave_feedback});
    registry.add_route({sdk::Method::Get, "/api/products/{id}/feedback", feedback_api});
    registry.add_funnel_step(
        "feedback", [](sdk::Context& context, const std::string& from, const std::string& to) {
          return SeedProgramme(context.store()).feedback_between(from, to);
        });
    registry.add_route({sdk::Method::Get, "/events", events_page});
    registry.add_route({sdk::Method::Get, "/api/events", events_api});
    registry.add_route({sdk::Method::Post, "/events/{id}/tickets", buy_ticket});
    registry.add_route({sdk::Method::Get, "/seed", seed_page});
    registry.add_route({sdk::Method::Get, "/api/seed", seed_api});
    registry.add_route({sdk::Method::Post, "/seed/join", join_seed});
    registry.add_route({sdk::Method::Post, "/seed/invite", invite_seed});
  }
};

}  // namespace
}  // namespace tribe::product

TRIBE_PLUGIN(tribe::product::ProductPlugin, "product", "0.1.0", "product",
             "Product communities: a catalogue with stock, pre-orders, a seed-user programme with "
             "early access and feedback, and city club events with tickets")
