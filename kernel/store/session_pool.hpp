#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "kernel/store/prepared_statements.hpp"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace tribe::kernel::store {

// SOCI's session pool together with the prepared statements of each session.
class SessionPool {
 public:
  SessionPool(std::unique_ptr<soci::connection_pool> pool, std::size_t size);
  ~SessionPool();

  soci::connection_pool& sessions() { return *pool_; }
  // The lock SQLite writers of this pool queue on (WriteTransaction).
  std::timed_mutex& writer() { return writer_; }
  // After a migration: each session drops its prepared statements the next time it is leased.
  void schema_changed() { ++schema_generation_; }

  // The pooled session behind `session` (itself, or a soci::session leased from this pool, which
  // passes every call on to it) with its prepared statements, which only the session's holder may
  // use; nullopt for a session not from this pool.
  struct Slot {
    soci::session& session;
    PreparedStatements& statements;
  };
  std::optional<Slot> slot_of(soci::session& session);

  // One session held for the lease's lifetime, with its prepared statements, which only the
  // leaseholder touches.
  class Lease {
   public:
    explicit Lease(SessionPool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    soci::session& session();
    PreparedStatements& statements() { return pool_.statements_[position_]; }

   private:
    SessionPool& pool_;
    std::size_t position_;
  };

 private:
  // Declared first so it is destroyed last: statements are finalised on their sessions.
  std::unique_ptr<soci::connection_pool> pool_;
  std::vector<PreparedStatements> statements_;
  std::atomic<std::uint64_t> schema_generation_{0};
  std::timed_mutex writer_;
};

}  // namespace tribe::kernel::store
