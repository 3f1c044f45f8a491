#pragma once
// Investor–project matching (投融资对接): members keep a profile on one side (an investor's focus,
// a project's pitch); one side asks for an introduction, the other accepts or declines; only once
// both have accepted does the requester pay the intro fee (the YAML's startup.intro_offer), and
// after payment both see each other's contact. No order exists before both accept; a declined
// request never charges. Profiles in startup_profiles, requests in startup_matches. The intro
// offer is `sold_by: plugin`: POST /match/{id}/pay is the only way to order it.
// Tags: a profile gives its member role:investor or role:founder; investors choose focus:<sector>
// tags and projects sector:<sector> tags (the site's `tags` vocabulary, /account/tags), and the
// other side's profiles sharing a sector are listed first.
#include <tribe/sdk/sdk.hpp>

namespace tribe::startup {

// GET /match and GET /api/match: the member's profile, the other side's profiles and their
// requests with what they may do next.
sdk::Response match_page(const sdk::Request& request, sdk::Context& context);
sdk::Response match_api(const sdk::Request& request, sdk::Context& context);
// POST /match/profile: side (investor|project), name, about, contact.
sdk::Response save_profile(const sdk::Request& request, sdk::Context& context);
// POST /match/request: to (the other side's member id).
sdk::Response request_match(const sdk::Request& request, sdk::Context& context);
// POST /match/{id}/accept and /match/{id}/decline.
sdk::Response accept_match(const sdk::Request& request, sdk::Context& context);
sdk::Response decline_match(const sdk::Request& request, sdk::Context& context);
// POST /match/{id}/pay: the requester orders the intro fee once both sides accepted.
sdk::Response pay_intro(const sdk::Request& request, sdk::Context& context);
// order.paid: a paid intro fee makes its match "paid" (idempotent).
void on_intro_paid(const sdk::Event& event, sdk::Context& context);

}  // namespace tribe::startup
