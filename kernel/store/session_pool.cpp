#include "kernel/store/session_pool.hpp"

#include <soci/connection-pool.h>
#include <soci/session.h>

namespace tribe::kernel::store {

SessionPool::SessionPool(std::unique_ptr<soci::connection_pool> pool, std::size_t size)
    : pool_(std::move(pool)), statements_(size) {}

SessionPool::~SessionPool() = default;

std::optional<SessionPool::Slot> SessionPool::slot_of(soci::session& session) {
  // A soci::session leased from a pool shares the pooled session's backend, not its address.
  const auto* backend = session.get_backend();
  for (std::size_t position = 0; position < statements_.size(); ++position) {
    soci::session& pooled = pool_->at(position);
    if (pooled.get_backend() != backend) continue;
    statements_[position].match_schema(schema_generation_.load());
    return Slot{pooled, statements_[position]};
  }
  return std::nullopt;
}

SessionPool::Lease::Lease(SessionPool& pool) : pool_(pool), position_(pool.pool_->lease()) {
  statements().match_schema(pool_.schema_generation_.load());
}

SessionPool::Lease::~Lease() {
  pool_.pool_->give_back(position_);
}

soci::session& SessionPool::Lease::session() {
  return pool_.pool_->at(position_);
}

}  // namespace tribe::kernel::store
