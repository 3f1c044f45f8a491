#pragma once
// Points as the brand plugin moves them: each award or spend through the ledger
// (Context::money()) under its once-only key, then written to the member's history
// (brand_points_log), also when the ledger had made the movement before (a retry).
#include <cstdint>
#include <string>
#include <tribe/sdk/sdk.hpp>

#include "points_rules.hpp"

namespace tribe::brand {

class PointsBook {
 public:
  explicit PointsBook(sdk::Context& context) : context_(context) {}

  // Awards `amount` once under `key`; false when the key was used before (nothing moves).
  bool award(const std::string& member, std::int64_t amount, const std::string& key,
             const std::string& reason);
  // Spends `amount` once under `key`; HttpError 409 when the member holds fewer.
  bool spend(const std::string& member, std::int64_t amount, const std::string& key,
             const std::string& reason);
  // Whether the history holds a movement under `key`.
  bool recorded(const std::string& key);
  // The points a recorded movement moved (+ or -), 0 when none is recorded.
  std::int64_t recorded_points(const std::string& key);
  // The member's movements, newest first, at most `limit`.
  sdk::Json history(const std::string& member, int limit);
  // Awards (movements of + points) from one UTC day to another ("2026-11-01", both included): the
  // funnel step.
  std::int64_t awards_between(const std::string& from_day, const std::string& to_day);

  // The points of a paid order (the order.paid event), once however often it is delivered.
  void on_order_paid(const sdk::Event& event);
  // A refunded order's points taken back, or what the member still holds of them.
  void on_order_refunded(const sdk::Event& event);

 private:
  void record(const std::string& member, std::int64_t points, const std::string& key,
              const std::string& reason);
  sdk::Context& context_;
};

}  // namespace tribe::brand
