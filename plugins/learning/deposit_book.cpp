#include "deposit_book.hpp"

#include "checkin_log.hpp"

namespace tribe::learning {

std::vector<Challenge> challenges_from(const sdk::Json& list) {
  std::vector<Challenge> challenges;
  if (!list.is_array()) return challenges;
  for (const auto& item : list) {
    challenges.push_back({item.at("id").get<std::string>(),
                          item.at("title").get<std::string>(),
                          item.at("offer").get<std::string>(),
                          item.value("description", ""),
                          {item.at("days").get<int>(), item.at("required").get<int>()}});
  }
  return challenges;
}

const Challenge* find_challenge(const std::vector<Challenge>& challenges, const std::string& id) {
  for (const auto& challenge : challenges) {
    if (challenge.id == id) return &challenge;
  }
  return nullptr;
}

DayNumber DepositBook::start_of(const Challenge& challenge, const std::string& order_id,
                                const std::string& member_id, DayNumber today) {
  sdk::TenantStore& store = context_.store();
  const sdk::Json key = {{"order_id", order_id}};
  if (auto row = store.find_one(kEnrolments, key)) return row->at("start_day").get<DayNumber>();
  try {
    store.insert(kEnrolments, {{"order_id", order_id},
                               {"challenge_id", challenge.id},
                               {"member_id", member_id},
                               {"start_day", today}});
  } catch (const sdk::StoreError&) {
    // Recorded concurrently (the event and a page at once): the first one stands.
    if (!store.find_one(kEnrolments, key)) throw;
  }
  return store.find_one(kEnrolments, key)->at("start_day").get<DayNumber>();
}

std::vector<DepositProgress> DepositBook::progress_of(const Challenge& challenge,
                                                      const std::string& member_id,
                                                      DayNumber today) {
  std::vector<DepositProgress> list;
  std::optional<std::vector<DayNumber>> days;
  for (const auto& held : context_.money().holdings(challenge.offer)) {
    if (held.member_id != member_id) continue;
    if (!days) days = CheckinLog(context_.store()).days_of(member_id);
    DepositProgress progress;
    progress.order_id = held.order_id;
    progress.state = held.state;
    progress.start = start_of(challenge, held.order_id, member_id, today);
    progress.counted = challenge.rule.counted(progress.start, *days);
    progress.days_left = challenge.rule.days_left(progress.start, today);
    progress.open = challenge.rule.open(progress.start, today);
    progress.due = challenge.rule.due(progress.start, today);
    list.push_back(std::move(progress));
  }
  return list;
}

DepositBook::Settled DepositBook::settle_due(const Challenge& challenge, DayNumber today,
                                             const std::optional<std::string>& only_member) {
  Settled settled;
  sdk::Money& money = context_.money();
  for (const auto& held : money.holdings(challenge.offer)) {
    if (only_member && held.member_id != *only_member) continue;
    if (held.state != "held" && held.state != "returning") continue;
    try {
      if (held.state == "returning") {  // asked back before; the refund never arrived
        settled.given_back += money.give_back(held.order_id, held.reason);
        continue;
      }
      const DayNumber start = start_of(challenge, held.order_id, held.member_id, today);
      if (!challenge.rule.due(start, today)) continue;
      const int counted =
          challenge.rule.counted(start, CheckinLog(context_.store()).days_of(held.member_id));
      const std::string tally = std::to_string(counted) + " of " +
                                std::to_string(challenge.rule.days) + " days checked in, " +
                                std::to_string(challenge.rule.required) + " needed";
      if (counted >= challenge.rule.required) {
        settled.given_back += money.give_back(held.order_id, "challenge completed: " + tally);
      } else {
        settled.forfeited += money.forfeit(held.order_id, "challenge not completed: " + tally);
      }
    } catch (const sdk::HttpError& e) {
      ++settled.failed;  // a provider that did not refund: the deposit stays held, asked again
      context_.log().warn("challenge '" + challenge.id + "': deposit of order " + held.order_id +
                          " not settled yet: " + e.what());
    }
  }
  return settled;
}

}  // namespace tribe::learning
