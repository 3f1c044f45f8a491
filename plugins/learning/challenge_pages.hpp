#pragma once
#include <tribe/sdk/sdk.hpp>
#include <vector>

#include "deposit_book.hpp"

namespace tribe::learning {

std::vector<Challenge> challenges_of(const sdk::Context& context);

// The challenges for the home page: deposit, rule, a link to each.
sdk::Json challenge_listing(const sdk::Request& request, sdk::Context& context);

// The member's deposits in each challenge with their progress.
sdk::Json member_challenges(sdk::Context& context);

// Whether a window of one of the member's held deposits runs today.
bool in_a_challenge(sdk::Context& context);

// GET /challenges/{id} and GET /api/challenges/{id}: the rule, the deposit, the member's progress
// and the Join button (the flow kit's DepositChallenge); admins also see every deposit.
sdk::Response challenge_page(const sdk::Request& request, sdk::Context& context);
sdk::Response challenge_api(const sdk::Request& request, sdk::Context& context);

// POST /challenges/{id}/join: pays the deposit.
sdk::Response join_challenge(const sdk::Request& request, sdk::Context& context);

// POST /challenges/{id}/settle (back to the page) and /api/challenges/{id}/settle (JSON): settles
// the deposits whose window is over, an admin's all of them, a member's their own.
sdk::Response settle_challenge(const sdk::Request& request, sdk::Context& context);
sdk::Response settle_challenge_api(const sdk::Request& request, sdk::Context& context);

// Settles every challenge's deposits whose window is over. Runs when a site starts serving and on
// each paid order of the site (order.paid), the moments the SDK lets a plugin act without a
// request: see README.md.
void settle_all_due(sdk::Context& context);

// order.paid: a paid deposit starts its window today; then whatever is due is settled.
void on_order_paid(const sdk::Event& event, sdk::Context& context);

}  // namespace tribe::learning
