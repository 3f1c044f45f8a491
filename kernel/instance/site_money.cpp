#include "kernel/instance/site_money.hpp"

#include "kernel/money/ledger.hpp"
#include "kernel/money/order_state.hpp"
#include "tribe/sdk/http.hpp"

namespace tribe::kernel::instance {
namespace {

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

}  // namespace

SiteMoney::SiteMoney(const config::SiteConfig& site, const sdk::Member* member,
                     MoneyServices services, const sdk::Clock& clock, money::SiteAddress address)
    : site_(site),
      member_(member),
      services_(services),
      clock_(clock),
      address_(std::move(address)) {}

void SiteMoney::require_storage() const {
  if (!services_.cashier || !services_.orders || !services_.entitlements || !services_.holdings ||
      !services_.points || !services_.accounts) {
    throw std::logic_error("the money service is used before the instance's storage is ready");
  }
}

const sdk::Offer& SiteMoney::offer(std::string_view offer_id) const {
  const sdk::Offer* found = site_.offer(offer_id);
  if (!found) throw sdk::HttpError(404, "no offer " + quoted(offer_id) + " on this site");
  return *found;
}

sdk::OrderTicket SiteMoney::order(std::string_view offer_id, std::string_view idempotency_key,
                                  int quantity) {
  require_storage();
  if (!member_) throw sdk::HttpError(401, "log in first: orders belong to a member");
  try {
    const auto made = services_.cashier->order(site_.id, member_->id, offer(offer_id),
                                               std::string(idempotency_key), quantity,
                                               money::Till::Plugin, clock_.now());
    const money::Order& order = made.order;
    return {order.id,
            order.offer_id,
            money::to_string(order.state),
            order.amount.minor_units(),
            order.amount.currency(),
            "/checkout/" + order.id,
            made.created};
  } catch (const money::OrderConflict& e) {
    throw sdk::HttpError(409, e.what());
  } catch (const money::SoldOut& e) {
    throw sdk::HttpError(409, e.what());
  } catch (const money::NotForBuyer& e) {
    throw sdk::HttpError(403, e.what());
  } catch (const money::MoneyError& e) {
    throw sdk::HttpError(400, e.what());
  }
}

std::optional<std::int64_t> SiteMoney::seats_left(std::string_view offer_id) {
  require_storage();
  const sdk::Offer& sold = offer(offer_id);
  if (!sold.capacity) return std::nullopt;
  // No order made the stock row yet: all of the capacity is left.
  return services_.orders->left(site_.id, sold.id).value_or(*sold.capacity);
}

sdk::Access SiteMoney::access(std::string_view key) {
  require_storage();
  if (!member_) return {};
  const auto now = clock_.now();
  const std::string wanted(key);
  sdk::Access access;
  access.active = services_.entitlements->allows(site_.id, member_->id, wanted, now);
  for (const auto& entitlement : services_.entitlements->of(site_.id, member_->id)) {
    if (entitlement.key == wanted) access.ends_at = entitlement.ends_at;
  }
  return access;
}

std::vector<sdk::HeldMoney> SiteMoney::holdings(std::string_view offer_id) {
  require_storage();
  std::vector<sdk::HeldMoney> held;
  for (const auto& holding : services_.holdings->of_offer(site_.id, std::string(offer_id))) {
    held.push_back({holding.order_id, holding.account_id, holding.amount.minor_units(),
                    holding.amount.currency(), money::to_string(holding.state), holding.reason});
  }
  return held;
}

bool SiteMoney::give_back(std::string_view order_id, std::string_view reason) {
  require_storage();
  const std::string id(order_id);
  const auto order = services_.orders->find(site_.id, id);
  if (!order) return false;
  // Returning first: no forfeit or release can take the money while the provider refunds it.
  if (!services_.holdings->start_return(site_.id, id, std::string(reason), clock_.now())) {
    return false;
  }
  try {
    services_.cashier->refund(site_.id, *order, address_, clock_.now());
  } catch (const money::MoneyError& e) {
    services_.holdings->cancel_return(site_.id, id);
    throw sdk::HttpError(502, std::string("the payment provider did not refund: ") + e.what());
  }
  return true;
}

bool SiteMoney::forfeit(std::string_view order_id, std::string_view reason) {
  require_storage();
  const auto holding = services_.holdings->find(site_.id, std::string(order_id));
  if (!holding) return false;
  try {
    return services_.holdings->forfeit(site_.id, holding->order_id,
                                       offer(holding->offer_id).forfeit_to, std::string(reason),
                                       clock_.now());
  } catch (const money::MoneyError& e) {
    throw sdk::HttpError(409, e.what());  // an escrow pledge, or an account the ledger refuses
  }
}

std::size_t SiteMoney::release(std::string_view offer_id, std::string_view reason) {
  require_storage();
  const sdk::Offer& pledged = offer(offer_id);
  return services_.holdings->release(site_.id, pledged.id, pledged.fee_basis_points,
                                     std::string(reason), clock_.now());
}

void SiteMoney::require_member_of_site(const std::string& member_id) const {
  if (!services_.accounts->find(site_.id, member_id)) {
    throw sdk::HttpError(404, "no member " + quoted(std::string_view(member_id)) + " on this site");
  }
}

std::int64_t SiteMoney::points(std::string_view member_id) {
  require_storage();
  return services_.points->balance(site_.id, std::string(member_id));
}

bool SiteMoney::award_points(std::string_view member_id, std::int64_t amount, std::string_view key,
                             std::string_view reason) {
  return move_points(member_id, amount, key, reason, true);
}

bool SiteMoney::spend_points(std::string_view member_id, std::int64_t amount, std::string_view key,
                             std::string_view reason) {
  return move_points(member_id, amount, key, reason, false);
}

bool SiteMoney::move_points(std::string_view member_id, std::int64_t amount, std::string_view key,
                            std::string_view reason, bool award) {
  require_storage();
  const std::string member(member_id);
  require_member_of_site(member);
  try {
    return award ? services_.points->award(site_.id, member, amount, std::string(key),
                                           std::string(reason))
                 : services_.points->spend(site_.id, member, amount, std::string(key),
                                           std::string(reason));
  } catch (const money::NotEnoughPoints& e) {
    throw sdk::HttpError(409, e.what());
  } catch (const money::LedgerConflict&) {
    throw sdk::HttpError(409,
                         "points key '" + std::string(key) + "' was used for another movement");
  } catch (const money::MoneyError& e) {
    throw sdk::HttpError(400, e.what());
  }
}

}  // namespace tribe::kernel::instance
