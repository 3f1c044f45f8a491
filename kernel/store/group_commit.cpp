#include "kernel/store/group_commit.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "kernel/store/database.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::store {
namespace {

// Prepared once per session like the rest of the kernel's SQL; SQLite reuses one name freely.
constexpr const char* kSavepoint = "SAVEPOINT tribe_unit";
constexpr const char* kUndo = "ROLLBACK TO tribe_unit";
constexpr const char* kRelease = "RELEASE tribe_unit";

}  // namespace

GroupCommit::GroupCommit(Database& database) : database_(database) {}

void GroupCommit::run(const Work& work) {
  if (database_.backend() != Backend::Sqlite) {
    run_alone(work);
    return;
  }
  Unit unit;
  unit.work = &work;
  std::unique_lock lock(mutex_);
  queue_.push_back(&unit);
  while (!unit.done) {
    if (leading_) {
      unit.wake.wait(lock);
      continue;
    }
    leading_ = true;
    lock.unlock();
    const std::vector<Unit*> batch = lead();
    lock.lock();
    leading_ = false;
    // Under the lock: a unit's thread cannot return, and destroy the unit, before this is done.
    for (Unit* ran : batch) {
      ran->done = true;
      ran->wake.notify_one();
    }
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }
  if (unit.error) std::rethrow_exception(unit.error);
}

std::size_t GroupCommit::queued() {
  const std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommit::run_alone(const Work& work) {
  soci::session session(database_.pool());
  WriteTransaction transaction(database_, session);
  if (work(session)) transaction.commit();
}

// Runs the next batch and returns its units, each with its error if it has one. The batch is
// taken once the write lock is held, so it holds everything queued while the lock was busy.
std::vector<GroupCommit::Unit*> GroupCommit::lead() {
  std::vector<Unit*> batch;
  try {
    soci::session session(database_.pool());
    WriteTransaction transaction(database_, session);
    batch = take_batch();
    Sql sql(database_, session);
    for (Unit* unit : batch) {
      sql.change(kSavepoint, {});
      bool keep = false;
      try {
        keep = (*unit->work)(session);
      } catch (...) {
        unit->error = std::current_exception();
      }
      if (!keep) sql.change(kUndo, {});
      // Fails when SQLite ended the whole transaction (a full disk, say): the batch stops here.
      sql.change(kRelease, {});
    }
    transaction.commit();
  } catch (...) {
    if (batch.empty()) batch = take_batch();  // no transaction: the queued units fail with it
    for (Unit* unit : batch) {
      if (!unit->error) unit->error = std::current_exception();
    }
  }
  return batch;
}

std::vector<GroupCommit::Unit*> GroupCommit::take_batch() {
  const std::lock_guard lock(mutex_);
  const auto end = queue_.begin() + static_cast<std::ptrdiff_t>(std::min(queue_.size(), kMaxBatch));
  std::vector<Unit*> batch(queue_.begin(), end);
  queue_.erase(queue_.begin(), end);
  return batch;
}

}  // namespace tribe::kernel::store
