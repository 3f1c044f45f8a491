#pragma once
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

namespace soci {
class session;
}

namespace tribe::kernel::store {

class Database;

// Short writes of many requests committed in one transaction (group commit). SQLite runs one
// writer at a time, and each transaction pays for its BEGIN, for its COMMIT (a WAL frame for every
// page it dirtied, though consecutive orders dirty mostly the same pages) and for handing the
// write lock on; a checkout's two transactions spent most of their time there. So on SQLite the
// work queued while one batch runs becomes the next batch: one request's thread leads it and runs
// every unit in its own savepoint on one session, so a unit that throws or asks to be undone
// leaves the others' writes as they are. A unit's writes are durable only once its batch
// committed: when the COMMIT fails, every unit of the batch gets that error. On PostgreSQL, whose
// writers run side by side, each unit is a transaction of its own.
class GroupCommit {
 public:
  // Runs inside a write transaction on `session`; returns true to keep its writes, false to undo
  // them. It must not call run() again (it would wait for its own batch) nor open a transaction,
  // and reads only through `session`: another pooled session would not see the earlier units of
  // its batch, which are not committed yet.
  using Work = std::function<bool(soci::session& session)>;

  explicit GroupCommit(Database& database);
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Returns once `work`'s writes are committed or undone; rethrows what `work` threw, or the
  // error that ended its batch.
  void run(const Work& work);
  // How many units wait for the next batch (always 0 on PostgreSQL).
  std::size_t queued();

 private:
  // Sized so that one batch holds the write lock for a few milliseconds at most.
  static constexpr std::size_t kMaxBatch = 32;

  struct Unit {
    const Work* work = nullptr;
    std::exception_ptr error;
    bool done = false;
    // Woken alone, when its batch ended or when it is the next to lead one: waking every waiter
    // for each batch cost a context switch per waiter on a 2-core machine.
    std::condition_variable wake;
  };

  void run_alone(const Work& work);
  std::vector<Unit*> lead();
  std::vector<Unit*> take_batch();

  Database& database_;
  std::mutex mutex_;
  std::vector<Unit*> queue_;
  bool leading_ = false;
};

}  // namespace tribe::kernel::store
