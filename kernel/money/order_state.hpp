#pragma once
#include <optional>
#include <string>

namespace tribe::kernel::money {

// Where an order is in its life:
//   Pending -> Paid -> Fulfilled -> Refunded     (Paid -> Refunded too)
//   Pending -> Cancelled (payment failed) | Expired (reservation ended unpaid)
//   Expired -> Paid (late payment, capacity still free) | Cancelled (late payment, sold out)
enum class OrderState { Pending, Paid, Fulfilled, Refunded, Cancelled, Expired };

// "pending", "paid", "fulfilled", "refunded", "cancelled", "expired": as stored and shown.
std::string to_string(OrderState state);
std::optional<OrderState> order_state_from_string(const std::string& text);

// Whether an order in `state` holds its quantity of the offer's capacity.
bool holds_capacity(OrderState state);

}  // namespace tribe::kernel::money
