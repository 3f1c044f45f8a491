#include "kernel/money/offer_stock.hpp"

#include <soci/soci.h>

#include <algorithm>

namespace tribe::kernel::money {
namespace {

struct NullableCount {
  long long value = 0;
  soci::indicator indicator = soci::i_null;
};

NullableCount nullable(std::optional<std::int64_t> count) {
  if (!count) return {};
  return {*count, soci::i_ok};
}

}  // namespace

void OfferStock::add_if_missing(const std::string& tenant, const std::string& offer_id,
                                std::optional<std::int64_t> capacity) {
  sql_.change(
      "INSERT INTO tribe_offer_stock (tenant_id, offer_id, capacity, taken)"
      " VALUES (:tenant, :offer, :capacity, 0) ON CONFLICT DO NOTHING",
      {tenant, offer_id, capacity});
}

void OfferStock::set_capacity(const std::string& tenant, const std::string& offer_id,
                              std::optional<std::int64_t> capacity) {
  NullableCount count = nullable(capacity);
  session_ << "INSERT INTO tribe_offer_stock (tenant_id, offer_id, capacity, taken)"
              " VALUES (:tenant, :offer, :capacity, 0)"
              " ON CONFLICT (tenant_id, offer_id) DO UPDATE SET capacity = excluded.capacity",
      soci::use(tenant), soci::use(offer_id), soci::use(count.value, count.indicator);
}

OfferStock::OfferStock(store::Database& database, soci::session& session)
    : session_(session), sql_(database, session) {}

bool OfferStock::take(const std::string& tenant, const std::string& offer_id,
                      std::int64_t quantity) {
  return sql_.change(
             "UPDATE tribe_offer_stock SET taken = taken + :quantity"
             " WHERE tenant_id = :tenant AND offer_id = :offer"
             " AND (capacity IS NULL OR taken + :wanted <= capacity)",
             {quantity, tenant, offer_id, quantity}) == 1;
}

void OfferStock::give_back(const std::string& tenant, const std::string& offer_id,
                           std::int64_t quantity) {
  const long long returned = quantity;
  session_ << "UPDATE tribe_offer_stock SET taken = taken - :quantity"
              " WHERE tenant_id = :tenant AND offer_id = :offer",
      soci::use(returned), soci::use(tenant), soci::use(offer_id);
}

std::optional<std::int64_t> OfferStock::left(const std::string& tenant,
                                             const std::string& offer_id) {
  long long capacity = 0;
  soci::indicator capacity_indicator = soci::i_null;
  long long taken = 0;
  session_ << "SELECT capacity, taken FROM tribe_offer_stock"
              " WHERE tenant_id = :tenant AND offer_id = :offer",
      soci::into(capacity, capacity_indicator), soci::into(taken), soci::use(tenant),
      soci::use(offer_id);
  if (!session_.got_data() || capacity_indicator != soci::i_ok) return std::nullopt;
  return std::max<std::int64_t>(0, capacity - taken);
}

}  // namespace tribe::kernel::money
