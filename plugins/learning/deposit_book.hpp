#pragma once
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

#include "challenge_rules.hpp"

namespace tribe::learning {

// A deposit challenge (押金打卡) as the site YAML's `learning.challenges` lists it. Its offer
// (`holds: deposit`, `forfeit_to: site:<account>`) takes the deposit.
struct Challenge {
  std::string id;
  std::string title;
  std::string offer;
  std::string description;
  ChallengeRule rule;
};

std::vector<Challenge> challenges_from(const sdk::Json& list);
const Challenge* find_challenge(const std::vector<Challenge>& challenges, const std::string& id);

// One deposit of a member, with how far its window has come.
struct DepositProgress {
  std::string order_id;
  std::string state;  // held, returning, returned, forfeited
  DayNumber start = 0;
  int counted = 0;    // check-in days inside the window so far
  int days_left = 0;  // days of the window still to come, today included
  bool open = false;  // the window runs today
  bool due = false;   // the window is over (a held deposit is settled now)
};

// The deposits of the site's challenges: when each member's window started (learning_enrolments,
// one row per deposit order, written on the first sight of the paid deposit: its order.paid event
// or a page) and settling the windows that are over. Money moves only through the SDK's money
// service, which settles each deposit once, however often and wherever this runs.
class DepositBook {
 public:
  static constexpr const char* kEnrolments = "learning_enrolments";

  explicit DepositBook(sdk::Context& context) : context_(context) {}

  // The day the deposit's window started; recorded as `today` when first seen.
  DayNumber start_of(const Challenge& challenge, const std::string& order_id,
                     const std::string& member_id, DayNumber today);

  std::vector<DepositProgress> progress_of(const Challenge& challenge, const std::string& member_id,
                                           DayNumber today);

  struct Settled {
    int given_back = 0;
    int forfeited = 0;
    int failed = 0;  // the provider did not refund; the deposit stays held for the next run
  };
  // Settles the held deposits whose window is over (of one member, or of everyone): given back
  // when the member checked in on enough days of it, forfeited otherwise. A deposit asked back
  // before whose refund never arrived is asked again. Safe to run again and concurrently.
  Settled settle_due(const Challenge& challenge, DayNumber today,
                     const std::optional<std::string>& only_member = std::nullopt);

 private:
  sdk::Context& context_;
};

}  // namespace tribe::learning
