#pragma once
#include <mutex>

#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::store {

// One transaction on one session, rolled back unless committed. On SQLite it starts with
// BEGIN IMMEDIATE: a plain (deferred) BEGIN that reads first and then writes fails at once with
// SQLITE_BUSY when another connection wrote in between, instead of waiting out the busy timeout.
// SQLite runs one writer at a time, so the writers of one Database first queue on a lock of this
// process (SessionPool::writer()): the next writer starts the moment the last one ends, where
// SQLite's busy handler would have each of them sleep and poll for the file's lock.
class WriteTransaction {
 public:
  WriteTransaction(Database& database, soci::session& session);
  // For the store's own use, where the pool is at hand but not the Database.
  WriteTransaction(SessionPool& sessions, Backend backend, soci::session& session);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit();

 private:
  soci::session& session_;
  std::unique_lock<std::timed_mutex> writer_;  // SQLite only; released after commit or rollback
  bool open_ = true;
};

}  // namespace tribe::kernel::store
