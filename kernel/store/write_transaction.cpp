#include "kernel/store/write_transaction.hpp"

#include <soci/soci.h>

namespace tribe::kernel::store {

WriteTransaction::WriteTransaction(soci::session& session, Backend backend) : session_(session) {
  if (backend == Backend::Sqlite) {
    session_ << "BEGIN IMMEDIATE";
  } else {
    session_.begin();
  }
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
}

}  // namespace tribe::kernel::store
