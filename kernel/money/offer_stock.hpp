#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "kernel/store/sql.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::money {

// The rows of tribe_offer_stock, on a caller's session (and transaction): per tenant and offer,
// the capacity (NULL: unlimited) and how much of it orders hold (`taken`).
class OfferStock {
 public:
  OfferStock(store::Database& database, soci::session& session);

  void add_if_missing(const std::string& tenant, const std::string& offer_id,
                      std::optional<std::int64_t> capacity);
  // Inserts or changes the capacity; `taken` stays.
  void set_capacity(const std::string& tenant, const std::string& offer_id,
                    std::optional<std::int64_t> capacity);
  // Takes `quantity` in one conditional UPDATE if that much is left; whether it did. Concurrent
  // takers cannot oversell: PostgreSQL re-checks the condition on the row after a concurrent
  // update commits, and SQLite runs one write transaction at a time.
  bool take(const std::string& tenant, const std::string& offer_id, std::int64_t quantity);
  void give_back(const std::string& tenant, const std::string& offer_id, std::int64_t quantity);
  // What is left (never negative), nullopt when unlimited or the offer has no stock row.
  std::optional<std::int64_t> left(const std::string& tenant, const std::string& offer_id);

 private:
  soci::session& session_;
  store::Sql sql_;
};

}  // namespace tribe::kernel::money
