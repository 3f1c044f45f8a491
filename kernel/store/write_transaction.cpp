#include "kernel/store/write_transaction.hpp"

#include <soci/soci.h>

#include <chrono>

#include "kernel/store/session_pool.hpp"
#include "tribe/sdk/store.hpp"

namespace tribe::kernel::store {
namespace {

// As long as SQLite's busy_timeout (kernel/store/database.cpp) lets a writer wait for the file.
constexpr std::chrono::seconds kWriterWait{5};

}  // namespace

WriteTransaction::WriteTransaction(Database& database, soci::session& session)
    : WriteTransaction(database.session_pool(), database.backend(), session) {}

WriteTransaction::WriteTransaction(SessionPool& sessions, Backend backend, soci::session& session)
    : session_(session) {
  if (backend != Backend::Sqlite) {
    session_.begin();
    return;
  }
  writer_ = std::unique_lock(sessions.writer(), std::defer_lock);
  if (!writer_.try_lock_for(kWriterWait)) {
    throw sdk::StoreError("the database stayed busy for " + std::to_string(kWriterWait.count()) +
                          " s: another write held it all that time; try again");
  }
  session_ << "BEGIN IMMEDIATE";
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    session_.rollback();
  } catch (...) {
    // A rollback failing means the connection is gone, and the transaction with it.
  }
}

void WriteTransaction::commit() {
  session_.commit();
  open_ = false;
  if (writer_.owns_lock()) writer_.unlock();
}

}  // namespace tribe::kernel::store
