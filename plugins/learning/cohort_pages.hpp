#pragma once
#include <tribe/sdk/sdk.hpp>

#include "cohort_sequence.hpp"

namespace tribe::learning {

CohortSequence cohorts_of(const sdk::Context& context);

// The cohorts in sequence for the home page: dates, price, seats left, a link to each.
sdk::Json cohort_listing(const sdk::Request& request, sdk::Context& context);

// The member's seat in each cohort (active, until) and, near a seat's end or after it, the next
// cohort offered with its Buy button.
sdk::Json member_cohorts(sdk::Context& context);

// Whether the member holds a running seat in any cohort.
bool in_a_cohort(sdk::Context& context);

// GET /cohorts/{id}: served to members with a running seat; others get 403 with a Join button.
sdk::Response cohort_page(const sdk::Request& request, sdk::Context& context);

// POST /cohorts/{id}/join: reserves a seat (the flow kit's SeatReservation), then checkout.
sdk::Response join_cohort(const sdk::Request& request, sdk::Context& context);

}  // namespace tribe::learning
