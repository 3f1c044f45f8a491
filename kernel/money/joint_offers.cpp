#include "kernel/money/joint_offers.hpp"

#include <soci/soci.h>

#include "kernel/identity/token.hpp"
#include "kernel/money/ledger.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

constexpr const char* kClaims = "tribe_joint_claims";
constexpr const char* kColumns =
    "tenant_id, order_id, offer_id, buyer_id, partner_site, token, share, currency, state,"
    " COALESCE(claimed_by, '')";
constexpr const char* kKinds =
    "ttttttitt"
    "t";

JointClaim claim_of(const store::SqlRow& row) {
  return {row.text(0), row.text(1),    row.text(2), row.text(3), row.text(4),
          row.text(5), row.integer(6), row.text(7), row.text(8), row.text(9)};
}

// The share's two transfers, one per ledger, or their reversals.
void post_share(soci::session& session, store::Database& database, const JointClaim& claim,
                bool reverse) {
  const std::int64_t sign = reverse ? -1 : 1;
  const std::string suffix = reverse ? ":reversal" : "";
  const std::string what = reverse ? "joint offer share given back" : "joint offer share";
  const std::string memo = what + ": order " + claim.order_id + " of " + claim.site;
  Ledger ledger(database);
  ledger.post_in(
      session, claim.site,
      {"joint:" + claim.order_id + ":share" + suffix,
       reverse ? "joint.share.reversal" : "joint.share",
       memo,
       {{"site:revenue", Amount(sign * claim.share, claim.currency)},
        {"joint:owed:" + claim.partner_site, Amount(-sign * claim.share, claim.currency)}}});
  ledger.post_in(session, claim.partner_site,
                 {"joint:" + claim.site + ":" + claim.order_id + ":share" + suffix,
                  reverse ? "joint.share.reversal" : "joint.share",
                  memo,
                  {{"joint:due:" + claim.site, Amount(sign * claim.share, claim.currency)},
                   {"site:revenue", Amount(-sign * claim.share, claim.currency)}}});
}

}  // namespace

JointBook::JointBook(store::Database& database) : database_(database) {}

std::string JointBook::grant_order_id(const std::string& site, const std::string& order_id) {
  return "joint:" + site + ":" + order_id;
}

void JointBook::open_in(soci::session& session, const std::string& tenant, const Order& order,
                        const config::JointOffer& joint,
                        std::chrono::system_clock::time_point now) {
  const std::int64_t share = order.amount.minor_units() * joint.share_basis_points / 10000;
  store::Sql sql(database_, session);
  const JointClaim claim{tenant,         order.id,
                         order.offer_id, order.account_id,
                         joint.site,     identity::random_token(16),
                         share,          order.amount.currency(),
                         "open",         ""};
  if (sql.change("INSERT INTO tribe_joint_claims (tenant_id, order_id, offer_id, buyer_id,"
                 " partner_site, token, share, currency, state, opened_at)"
                 " VALUES (:tenant, :order, :offer, :buyer, :partner, :token, :share, :currency,"
                 " 'open', :at) ON CONFLICT (tenant_id, order_id) DO NOTHING",
                 {claim.site, claim.order_id, claim.offer_id, claim.buyer_id, claim.partner_site,
                  claim.token, share, claim.currency, store::unix_seconds(now)}) == 0) {
    return;  // opened by an earlier delivery of the payment
  }
  if (share > 0) post_share(session, database_, claim, false);
}

void JointBook::reverse_in(soci::session& session, const std::string& tenant,
                           const std::string& order_id, EntitlementBook& entitlements,
                           std::chrono::system_clock::time_point now) {
  store::Sql sql(database_, session);
  const auto row = sql.row(std::string("SELECT ") + kColumns +
                               " FROM tribe_joint_claims WHERE tenant_id = :tenant"
                               " AND order_id = :order",
                           kKinds, {tenant, order_id});
  if (!row) return;
  const JointClaim claim = claim_of(*row);
  if (claim.state == "reversed") return;
  sql.change(
      "UPDATE tribe_joint_claims SET state = 'reversed'"
      " WHERE tenant_id = :tenant AND order_id = :order",
      {tenant, order_id});
  if (claim.share > 0) post_share(session, database_, claim, true);
  entitlements.revoke_order_in(session, claim.partner_site, grant_order_id(tenant, order_id), now);
}

std::vector<JointClaim> JointBook::of_buyer(const std::string& tenant,
                                            const std::string& buyer_id) const {
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  std::vector<JointClaim> claims;
  for (const auto& row : sql.rows(std::string("SELECT ") + kColumns +
                                      " FROM tribe_joint_claims WHERE tenant_id = :tenant"
                                      " AND buyer_id = :buyer ORDER BY opened_at DESC, order_id",
                                  kKinds, {tenant, buyer_id})) {
    claims.push_back(claim_of(row));
  }
  return claims;
}

std::optional<JointClaim> JointBook::find(const std::string& partner_site,
                                          const std::string& token) const {
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  const auto row = sql.row(std::string("SELECT ") + kColumns +
                               " FROM tribe_joint_claims WHERE partner_site = :partner"
                               " AND token = :token",
                           kKinds, {partner_site, token});
  if (!row) return std::nullopt;
  return claim_of(*row);
}

JointClaim JointBook::claim(const std::string& partner_site, const std::string& token,
                            const std::string& account_id, const config::JointOffer& joint,
                            const std::optional<Term>& term, int grace_days,
                            EntitlementBook& entitlements,
                            std::chrono::system_clock::time_point now) {
  soci::session session(database_.pool());
  try {
    store::WriteTransaction transaction(database_, session);
    store::Sql sql(database_, session);
    const auto row = sql.row(std::string("SELECT ") + kColumns +
                                 " FROM tribe_joint_claims WHERE partner_site = :partner"
                                 " AND token = :token",
                             kKinds, {partner_site, token});
    if (!row) throw JointClaimError(404, "no joint offer to claim under this link");
    JointClaim claim = claim_of(*row);
    if (claim.state == "reversed") {
      throw JointClaimError(409, "this joint offer was refunded; there is nothing to claim");
    }
    if (claim.state == "claimed") {
      if (claim.claimed_by != account_id) {
        throw JointClaimError(409, "this joint offer was claimed by another account");
      }
      return claim;
    }
    sql.change(
        "UPDATE tribe_joint_claims SET state = 'claimed', claimed_by = :account,"
        " claimed_at = :at WHERE tenant_id = :tenant AND order_id = :order",
        {account_id, store::unix_seconds(now), claim.site, claim.order_id});
    for (const auto& key : joint.grants) {
      entitlements.grant_in(session, partner_site, account_id, key,
                            grant_order_id(claim.site, claim.order_id), term, 0, grace_days, now);
    }
    transaction.commit();
    claim.state = "claimed";
    claim.claimed_by = account_id;
    return claim;
  } catch (const MoneyError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kClaims);
  }
}

}  // namespace tribe::kernel::money
