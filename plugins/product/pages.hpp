#pragma once
// The product plugin's pages and their JSON twins: the catalogue and its products (with the seed
// users' feedback), the city club events, and the seed-user programme. plugin.cpp mounts them.
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

#include "catalogue.hpp"
#include "club_events.hpp"

namespace tribe::product {

// "2027-01-04": the UTC day of the instance's clock (the YAML's dates compare with it as text).
std::string today_text(const sdk::Context& context);
// "2027-01-04T08:30:00Z" on the instance's clock.
std::string now_text(const sdk::Context& context);
// Whether the member asking is a seed user (false for a visitor).
bool seed_user(sdk::Context& context);

std::vector<Product> products_of(const sdk::Context& context);
std::vector<ClubEvent> events_of(const sdk::Context& context);
std::vector<std::string> invitation_codes(const sdk::Context& context);

// The catalogue (catalogue_pages.cpp).
sdk::Json product_listing(const sdk::Request& request, sdk::Context& context);
sdk::Response product_page(const sdk::Request& request, sdk::Context& context);
sdk::Response products_api(const sdk::Request& request, sdk::Context& context);
sdk::Response product_api(const sdk::Request& request, sdk::Context& context);
sdk::Response buy_product(const sdk::Request& request, sdk::Context& context);
sdk::Response leave_feedback(const sdk::Request& request, sdk::Context& context);
sdk::Response feedback_api(const sdk::Request& request, sdk::Context& context);

// City club events (event_pages.cpp).
sdk::Json event_groups(const sdk::Request& request, sdk::Context& context, const std::string& city);
sdk::Response events_page(const sdk::Request& request, sdk::Context& context);
sdk::Response events_api(const sdk::Request& request, sdk::Context& context);
sdk::Response buy_ticket(const sdk::Request& request, sdk::Context& context);

// The seed-user programme (seed_pages.cpp).
sdk::Response seed_page(const sdk::Request& request, sdk::Context& context);
sdk::Response seed_api(const sdk::Request& request, sdk::Context& context);
sdk::Response join_seed(const sdk::Request& request, sdk::Context& context);
sdk::Response invite_seed(const sdk::Request& request, sdk::Context& context);

}  // namespace tribe::product
