#pragma once
// The flow kit: the monetization flows community plugins compose, built only on the SDK
// (Context::money() and the site's offers). A flow names the offer it sells; the offer's price,
// term, capacity, grants and holding rules come from the site YAML.
//
//   SellOnce         a one-time purchase (a book, a ticket): buy, then own it
//   Subscription     a membership or paid group with a term: subscribe, renew (extends the end)
//   SeatReservation  limited seats (a camp, an event): reserve while seats are left
//   DepositChallenge pay a deposit, get it back on completion or forfeit it
//   EscrowPledge     pledge into escrow; at the deadline release to the project or give back all
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "tribe/sdk/context.hpp"
#include "tribe/sdk/http.hpp"

namespace tribe::sdk::flows {

// A key for one rendered Buy form (its hidden `idempotency_key` field): 128 random bits in hex,
// so a double-clicked button orders once while each new page orders anew.
inline std::string fresh_idempotency_key() {
  static thread_local std::random_device device;
  std::string key;
  for (int i = 0; i < 4; ++i) {
    const auto word = static_cast<std::uint32_t>(device());
    for (int shift = 28; shift >= 0; shift -= 4)
      key.push_back("0123456789abcdef"[(word >> shift) & 0xF]);
  }
  return key;
}

// The Buy button's POST: orders the offer under the form's `idempotency_key` (put a fresh random
// one in every rendered form) and sends the buyer to pay. A visitor is sent to log in and then to
// the offers (the POST cannot be replayed after a log-in).
inline Response order_and_pay(const Request& request, Context& context,
                              const std::string& offer_id) {
  if (!context.member()) return Response::redirect(request.base + "/login?next=/offers");
  const OrderTicket ticket = context.money().order(offer_id, request.field("idempotency_key"), 1);
  return Response::redirect(request.base + ticket.checkout_path);
}

inline const Offer* find_offer(Context& context, const std::string& offer_id) {
  for (const auto& offer : context.site().offers()) {
    if (offer.id == offer_id) return &offer;
  }
  return nullptr;
}

// What every flow has: the offer it sells and the handler that orders it.
class OfferFlow {
 public:
  explicit OfferFlow(std::string offer_id) : offer_id_(std::move(offer_id)) {}
  const std::string& offer_id() const { return offer_id_; }

 protected:
  Handler order_handler() const {
    return [offer = offer_id_](const Request& request, Context& context) {
      return order_and_pay(request, context, offer);
    };
  }
  // The member's access under the offer's first grant key (none: inactive).
  Access first_grant_access(Context& context) const {
    const Offer* offer = find_offer(context, offer_id_);
    if (!offer || offer->grants.empty()) return {};
    return context.money().access(offer->grants.front());
  }

  std::string offer_id_;
};

// A one-time purchase; owning it means holding what the offer grants (its first grant key).
class SellOnce : public OfferFlow {
 public:
  using OfferFlow::OfferFlow;
  Handler buy() const { return order_handler(); }
  bool owned(Context& context) const { return first_grant_access(context).active; }
};

// A membership or a paid group with a term: buying again before the end extends it from the old
// end, so renewing early loses nothing.
class Subscription : public OfferFlow {
 public:
  using OfferFlow::OfferFlow;
  Handler subscribe() const { return order_handler(); }
  // The member's access under the offer's first grant: active, and until when.
  Access status(Context& context) const { return first_grant_access(context); }
};

// Limited seats: an unpaid order holds its seat for a while; capacity never oversells.
class SeatReservation : public OfferFlow {
 public:
  using OfferFlow::OfferFlow;
  Handler reserve() const { return order_handler(); }
  std::optional<std::int64_t> seats_left(Context& context) const {
    return context.money().seats_left(offer_id_);
  }
};

// A deposit challenge (the learning camp's 押金打卡): members pay the offer (`holds: deposit`);
// at the end each deposit comes back to those who completed and is forfeited by the others.
class DepositChallenge : public OfferFlow {
 public:
  using OfferFlow::OfferFlow;
  Handler join() const { return order_handler(); }

  struct Settled {
    int given_back = 0;
    int forfeited = 0;
  };
  // Settles every deposit still held: `completed(member_id)` decides. Safe to run again (also
  // concurrently): a settled deposit is skipped.
  Settled settle(Context& context, const std::function<bool(const std::string&)>& completed) const {
    Settled settled;
    for (const auto& deposit : context.money().holdings(offer_id_)) {
      if (deposit.state != "held" && deposit.state != "returning") continue;
      if (deposit.state == "returning") {  // asked back before; the refund never arrived
        settled.given_back += context.money().give_back(deposit.order_id, deposit.reason);
        continue;
      }
      if (completed(deposit.member_id)) {
        settled.given_back += context.money().give_back(deposit.order_id, "challenge completed");
      } else {
        settled.forfeited += context.money().forfeit(deposit.order_id, "challenge not completed");
      }
    }
    return settled;
  }
};

// All-or-nothing crowdfunding: pledges (an offer with `holds: escrow`) are held until the
// deadline; then, if they reach the goal, all are released to the project minus the site's fee,
// otherwise every pledge is given back.
class EscrowPledge : public OfferFlow {
 public:
  EscrowPledge(std::string offer_id, std::int64_t goal,
               std::chrono::system_clock::time_point deadline)
      : OfferFlow(std::move(offer_id)), goal_(goal), deadline_(deadline) {}
  Handler pledge() const { return order_handler(); }

  struct Progress {
    std::int64_t raised = 0;  // held pledges, in the offer's minor units
    std::int64_t goal = 0;
    int pledges = 0;
    bool closed = false;  // the deadline has passed
  };
  Progress progress(Context& context) const {
    Progress progress{0, goal_, 0, context.clock().now() >= deadline_};
    for (const auto& pledge : context.money().holdings(offer_id_)) {
      if (pledge.state == "held" || pledge.state == "released") {
        progress.raised += pledge.amount;
        ++progress.pledges;
      }
    }
    return progress;
  }

  enum class Outcome { Open, Funded, Refunded };
  // Before the deadline: Open, nothing moves. After: Funded (released) or Refunded (given back).
  // Safe to run again: settled pledges are skipped.
  Outcome settle(Context& context) const {
    const Progress now = progress(context);
    if (!now.closed) return Outcome::Open;
    if (now.raised >= goal_) {
      context.money().release(offer_id_, "funded: goal reached at the deadline");
      return Outcome::Funded;
    }
    for (const auto& pledge : context.money().holdings(offer_id_)) {
      if (pledge.state == "held" || pledge.state == "returning") {
        context.money().give_back(pledge.order_id, "not funded: goal missed at the deadline");
      }
    }
    return Outcome::Refunded;
  }

 private:
  std::int64_t goal_;
  std::chrono::system_clock::time_point deadline_;
};

}  // namespace tribe::sdk::flows
