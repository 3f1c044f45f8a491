#pragma once
#include <string>

#include "kernel/config/site_config.hpp"
#include "kernel/identity/accounts.hpp"
#include "kernel/money/cashier.hpp"
#include "kernel/money/entitlements.hpp"
#include "kernel/money/holdings.hpp"
#include "kernel/money/points.hpp"
#include "tribe/sdk/context.hpp"
#include "tribe/sdk/money.hpp"

namespace tribe::kernel::instance {

// The money services a site's Context reaches (null before storage is ready).
struct MoneyServices {
  money::Cashier* cashier = nullptr;
  money::OrderBook* orders = nullptr;
  const money::EntitlementBook* entitlements = nullptr;
  money::HoldingBook* holdings = nullptr;
  money::PointsBook* points = nullptr;
  const identity::AccountBook* accounts = nullptr;
};

// sdk::Money for one site and the member asking (none in site hooks), on the kernel's books.
class SiteMoney : public sdk::Money {
 public:
  SiteMoney(const config::SiteConfig& site, const sdk::Member* member, MoneyServices services,
            const sdk::Clock& clock, money::SiteAddress address);

  sdk::OrderTicket order(std::string_view offer_id, std::string_view idempotency_key,
                         int quantity) override;
  std::optional<std::int64_t> seats_left(std::string_view offer_id) override;
  sdk::Access access(std::string_view key) override;
  std::vector<sdk::HeldMoney> holdings(std::string_view offer_id) override;
  bool give_back(std::string_view order_id, std::string_view reason) override;
  bool forfeit(std::string_view order_id, std::string_view reason) override;
  std::size_t release(std::string_view offer_id, std::string_view reason) override;
  std::int64_t points(std::string_view member_id) override;
  bool award_points(std::string_view member_id, std::int64_t amount, std::string_view key,
                    std::string_view reason) override;
  bool spend_points(std::string_view member_id, std::int64_t amount, std::string_view key,
                    std::string_view reason) override;

 private:
  const sdk::Offer& offer(std::string_view offer_id) const;
  void require_storage() const;
  // HttpError 404 unless the site has the member.
  void require_member_of_site(const std::string& member_id) const;
  bool move_points(std::string_view member_id, std::int64_t amount, std::string_view key,
                   std::string_view reason, bool award);

  const config::SiteConfig& site_;
  const sdk::Member* member_;
  MoneyServices services_;
  const sdk::Clock& clock_;
  money::SiteAddress address_;
};

}  // namespace tribe::kernel::instance
