#pragma once
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kernel/money/ledger.hpp"
#include "kernel/money/money.hpp"
#include "kernel/money/orders.hpp"
#include "kernel/money/referrals.hpp"
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

// Commission rates, a refund rule or a request the commission book refuses; the message says
// which value and what to use instead.
class CommissionError : public MoneyError {
 public:
  using MoneyError::MoneyError;
};

// What one partner earns on one order at one level of the buyer's upline.
//   Held -> Payable (the refund window closed: release_due)
//   Held -> Reversed (refunded inside the window)
//   Payable -> Reversed (refunded after the window, only under the rule "claw_back")
struct Commission {
  enum class State { Held, Payable, Reversed };

  std::string order_id;
  std::string partner_account_id;
  int level = 1;  // 1: the buyer's referrer, 2: the referrer's referrer
  Amount amount;
  State state = State::Held;
  std::chrono::system_clock::time_point holds_until;  // the end of the order's refund window
  bool operator==(const Commission&) const = default;
};

// "held", "payable", "reversed": as stored and shown.
std::string to_string(Commission::State state);

// The referral commissions of each tenant's orders (tribe_commissions) and their ledger transfers:
//   hold     "order:<id>:commission:<l>":          site:commissions +a, commissions:held:<p> -a
//   release  "order:<id>:commission:<l>:release":  commissions:held:<p> +a,
//                                                  commissions:payable:<p> -a
//   reversal "order:<id>:commission:<l>:reversal": commissions:held:<p> (or, clawed back,
//                                                  commissions:payable:<p>) +a, site:commissions -a
// so what the site owes partner p is minus the balance of commissions:payable:<p>.
class CommissionBook {
 public:
  // Levels a site may pay at most; the site YAML's default is 2.
  static constexpr int kMaxLevels = 3;

  CommissionBook(store::Database& database, ReferralBook& referrals);

  // Inside the payment's transaction (PaymentBook::on_paid): for each level l (1..rates.size())
  // of the buyer's upline, commission = floor(order amount * rates[l-1] / 10000) (basis points;
  // a zero commission is skipped), Held until now + refund_window, posted as "hold" above.
  // Idempotent per order: once an order has commissions, holding it again changes nothing and
  // returns them. Returns the order's commissions by level. Throws CommissionError for rates
  // outside 0..10000 or summing above 10000, more than kMaxLevels levels, or a negative window.
  std::vector<Commission> hold_in(soci::session& in_transaction, const std::string& tenant,
                                  const Order& order, const std::vector<int>& rates_basis_points,
                                  std::chrono::seconds refund_window,
                                  std::chrono::system_clock::time_point now);

  // Inside the refund's transaction (PaymentBook::on_refunded): the order's Held commissions are
  // Reversed ("reversal" from held). Payable ones follow the site's `after_window_rule`: "keep"
  // (the partner keeps it, the site bears it) or "claw_back" (Reversed from payable, which may go
  // below what was already paid out: the partner then owes the site the difference). A Held
  // commission whose window closed before `now` counts as Payable: it is released first, so the
  // outcome does not depend on when the sweep last ran. Throws CommissionError for another rule.
  void reverse_in(soci::session& in_transaction, const std::string& tenant,
                  const std::string& order_id, const std::string& after_window_rule,
                  std::chrono::system_clock::time_point now);

  // The scheduler's sweep over all tenants: Held commissions whose holds_until <= now become
  // Payable ("release"), each in a short transaction of its own. Returns how many it released;
  // a second sweep, also a concurrent one, releases none of them again.
  std::size_t release_due(std::chrono::system_clock::time_point now);

  // The partner's commissions, newest order first, then by order id and level.
  std::vector<Commission> of_partner(const std::string& tenant,
                                     const std::string& partner_account_id) const;

 private:
  store::Database& database_;
  ReferralBook& referrals_;
  Ledger ledger_;
};

}  // namespace tribe::kernel::money
