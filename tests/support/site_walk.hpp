#pragma once
// Steps every end-to-end walk of a demo site takes over HTTP, each checked as it goes (gtest
// expectations name the path and the answer): reading a JSON page and buying through the sandbox
// gateway's checkout page.
#include <string>

#include "http_client.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::testing {

// GET `path`, which must answer 200 with JSON (a discarded value when it does not parse).
sdk::Json get_json(HttpVisitor& browser, const std::string& path);

// A Buy button's POST (`buy_path`, with the form's idempotency `key`), which must send the buyer
// to the sandbox checkout page; then that page and its pay button, which makes the server receive
// the gateway's signed webhook. Returns the order id.
std::string buy_through_sandbox(HttpVisitor& browser, const std::string& buy_path,
                                const std::string& key);

// The order's state as GET /api/orders/{id} tells its buyer ("fulfilled", "refunded", ...).
std::string order_state(HttpVisitor& browser, const std::string& order_id);

}  // namespace tribe::testing
