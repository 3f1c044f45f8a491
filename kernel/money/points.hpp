#pragma once
// Points: a site's own currency that members earn by actions and purchases and spend on rewards
// (the brand type's rules and rewards). They live in the ledger like money, as whole points in
// the currency "PTS": the site issues them from site:points to the member's points:<account>,
// and a spend moves them back. A member's balance never goes below zero.
#include <cstdint>
#include <string>

#include "kernel/money/money.hpp"
#include "kernel/store/database.hpp"

namespace tribe::kernel::money {

inline constexpr const char* kPointsCurrency = "PTS";

// A spend of more points than the member has; nothing was spent.
class NotEnoughPoints : public MoneyError {
 public:
  using MoneyError::MoneyError;
};

class PointsBook {
 public:
  explicit PointsBook(store::Database& database);

  // The account's points (0 when it has none).
  std::int64_t balance(const std::string& tenant, const std::string& account_id) const;
  // Gives `amount` points once per `key`: false when that key moved points before (the same
  // movement again). MoneyError for an amount outside 1..1,000,000,000 or a key that is not 1 to
  // 200 characters; LedgerConflict when the key was used for another movement.
  bool award(const std::string& tenant, const std::string& account_id, std::int64_t amount,
             const std::string& key, const std::string& reason);
  // Spends `amount` points once per `key`, like award; NotEnoughPoints when the account has
  // fewer. Spends of one account are serialised, so racing spends never overdraw it.
  bool spend(const std::string& tenant, const std::string& account_id, std::int64_t amount,
             const std::string& key, const std::string& reason);

 private:
  enum class Direction { Award, Spend };
  bool move(const std::string& tenant, const std::string& account_id, std::int64_t amount,
            const std::string& key, const std::string& reason, Direction direction);

  store::Database& database_;
};

}  // namespace tribe::kernel::money
