#pragma once
#include "kernel/store/database.hpp"

namespace soci {
class session;
}

namespace tribe::kernel::store {

// One transaction on one session, rolled back unless committed. On SQLite it starts with
// BEGIN IMMEDIATE: a plain (deferred) BEGIN that reads first and then writes fails at once with
// SQLITE_BUSY when another connection wrote in between, instead of waiting out the busy timeout.
class WriteTransaction {
 public:
  WriteTransaction(soci::session& session, Backend backend);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit();

 private:
  soci::session& session_;
  bool open_ = true;
};

}  // namespace tribe::kernel::store
