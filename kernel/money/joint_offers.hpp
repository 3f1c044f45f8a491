#pragma once
// Joint offers (cross-brand bundles, seeds 003/004): one payment on the selling site grants its
// own entitlements and a claim on a partner site of the instance, whose share of the price moves
// to it in both sites' ledgers in the payment's transaction. The buyer claims on the partner site
// with the account they have there (accounts are per site), once; a refund moves the share back
// and ends what the claim granted.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kernel/config/offers.hpp"
#include "kernel/money/entitlements.hpp"
#include "kernel/money/orders.hpp"
#include "kernel/money/term.hpp"
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

struct JointClaim {
  std::string site;  // the selling site
  std::string order_id;
  std::string offer_id;
  std::string buyer_id;  // the buyer's account on the selling site
  std::string partner_site;
  std::string token;       // the claim code in the partner site's link
  std::int64_t share = 0;  // what the partner site got, in minor units of `currency`
  std::string currency;
  std::string state;       // open, claimed, reversed
  std::string claimed_by;  // the account on the partner site; empty until claimed
};

// A claim that cannot be made: unknown, reversed, or claimed by another account.
class JointClaimError : public MoneyError {
 public:
  JointClaimError(int status, const std::string& message) : MoneyError(message), status_(status) {}
  int status() const { return status_; }  // 404 or 409

 private:
  int status_;
};

class JointBook {
 public:
  explicit JointBook(store::Database& database);

  // In the payment's transaction on the selling site: the partner's share of the order moves from
  // the seller's revenue to what it owes the partner (joint:owed:<partner>), and in the partner's
  // ledger from what it is due (joint:due:<seller>) to its revenue; a claim is opened for the
  // buyer. Once per order.
  void open_in(soci::session& in_transaction, const std::string& tenant, const Order& order,
               const config::JointOffer& joint, std::chrono::system_clock::time_point now);
  // In the refund's transaction: the share moves back in both ledgers and the entitlements the
  // claim granted on the partner site end. Nothing for an order without a claim, or twice.
  void reverse_in(soci::session& in_transaction, const std::string& tenant,
                  const std::string& order_id, EntitlementBook& entitlements,
                  std::chrono::system_clock::time_point now);

  // The claims of a buyer on the selling site, newest first.
  std::vector<JointClaim> of_buyer(const std::string& tenant, const std::string& buyer_id) const;
  std::optional<JointClaim> find(const std::string& partner_site, const std::string& token) const;
  // The account `account_id` of the partner site claims: the joint offer's grants become its
  // entitlements there for the offer's term from now (the claim's order id names the grant).
  // Claiming again with the same account changes nothing; JointClaimError 404 for an unknown
  // token, 409 when it was reversed or another account claimed it.
  JointClaim claim(const std::string& partner_site, const std::string& token,
                   const std::string& account_id, const config::JointOffer& joint,
                   const std::optional<Term>& term, int grace_days, EntitlementBook& entitlements,
                   std::chrono::system_clock::time_point now);

  // The order id the partner site's grants carry: "joint:<site>:<order>".
  static std::string grant_order_id(const std::string& site, const std::string& order_id);

 private:
  store::Database& database_;
};

}  // namespace tribe::kernel::money
