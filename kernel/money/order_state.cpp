#include "kernel/money/order_state.hpp"

#include <array>
#include <utility>

namespace tribe::kernel::money {
namespace {

constexpr std::array<std::pair<OrderState, const char*>, 6> kNames = {{
    {OrderState::Pending, "pending"},
    {OrderState::Paid, "paid"},
    {OrderState::Fulfilled, "fulfilled"},
    {OrderState::Refunded, "refunded"},
    {OrderState::Cancelled, "cancelled"},
    {OrderState::Expired, "expired"},
}};

}  // namespace

std::string to_string(OrderState state) {
  for (const auto& [known, name] : kNames) {
    if (known == state) return name;
  }
  return "unknown";
}

std::optional<OrderState> order_state_from_string(const std::string& text) {
  for (const auto& [state, name] : kNames) {
    if (text == name) return state;
  }
  return std::nullopt;
}

bool holds_capacity(OrderState state) {
  return state == OrderState::Pending || state == OrderState::Paid ||
         state == OrderState::Fulfilled;
}

}  // namespace tribe::kernel::money
