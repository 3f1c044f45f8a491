#include "kernel/store/session_pool.hpp"

#include <soci/connection-pool.h>

namespace tribe::kernel::store {

SessionPool::SessionPool(std::unique_ptr<soci::connection_pool> pool, std::size_t size)
    : pool_(std::move(pool)), statements_(size) {}

SessionPool::~SessionPool() = default;

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
