#pragma once
// The customer ladder of the source articles: visitor -> fan -> member -> partner, moved by
// sign-up and purchases, each step kept with when and why.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::identity {

enum class Stage { Visitor, Fan, Member, Partner };

// "visitor", "fan", "member", "partner": as stored, shown and passed to plugins.
std::string to_string(Stage stage);
std::optional<Stage> stage_from_string(const std::string& text);

struct LadderStep {
  Stage stage;
  std::chrono::system_clock::time_point reached_at;
  std::string reason;  // "sign-up", "order <id> (membership)", ...
};

// Each account's stage per site (tribe_ladder) and the steps that led there
// (tribe_ladder_history). A person only climbs: a later purchase never lowers the stage, and an
// ended membership leaves the history as it was (the entitlement says what they may use now).
class Ladder {
 public:
  explicit Ladder(store::Database& database);

  // Raises the account to `stage` inside the caller's transaction (the payment's, or the
  // sign-up's); no change when it already stands there or higher. Returns whether it climbed.
  bool climb_in(soci::session& in_transaction, const std::string& tenant,
                const std::string& account_id, Stage stage, const std::string& reason,
                std::chrono::system_clock::time_point now);
  // The same in a transaction of its own.
  bool climb(const std::string& tenant, const std::string& account_id, Stage stage,
             const std::string& reason, std::chrono::system_clock::time_point now);

  // Visitor for an account the ladder has not seen.
  Stage stage_of(const std::string& tenant, const std::string& account_id) const;
  std::vector<LadderStep> history(const std::string& tenant, const std::string& account_id) const;
  // How many accounts stand on each stage above visitor (the funnel's ladder counts).
  std::map<Stage, long long> counts(const std::string& tenant) const;

 private:
  store::Database& database_;
};

}  // namespace tribe::kernel::identity
