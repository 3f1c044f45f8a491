#include "kernel/store/read_cache.hpp"

#include <mutex>

namespace tribe::kernel::store {
namespace {

// Table names are identifiers (no '\0'), so the split is unambiguous whatever the tenant id.
std::string table_key(const std::string& tenant, const std::string& table) {
  std::string key = table;
  key += '\0';
  key += tenant;
  return key;
}

std::string answer_key(const std::string& table_key, const std::string& key) {
  return std::to_string(table_key.size()) + ':' + table_key + key;
}

}  // namespace

ReadCache::ReadCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

ReadCache::Generation ReadCache::current(const std::string& table_key) const {
  auto found = generations_.find(table_key);
  return found == generations_.end() ? floor_ : found->second;
}

ReadCache::Generation ReadCache::generation(const std::string& tenant,
                                            const std::string& table) const {
  std::shared_lock lock(mutex_);
  return current(table_key(tenant, table));
}

std::optional<sdk::Json> ReadCache::find(const std::string& tenant, const std::string& table,
                                         const std::string& key) const {
  const std::string table_id = table_key(tenant, table);
  std::shared_ptr<const sdk::Json> answer;
  {
    std::shared_lock lock(mutex_);
    auto found = answers_.find(answer_key(table_id, key));
    if (found == answers_.end() || found->second.read_at != current(table_id)) {
      return std::nullopt;
    }
    answer = found->second.answer;
  }
  return *answer;  // copied outside the lock
}

void ReadCache::store(const std::string& tenant, const std::string& table, std::string key,
                      Generation read_at, sdk::Json answer) {
  const std::string table_id = table_key(tenant, table);
  auto shared = std::make_shared<const sdk::Json>(std::move(answer));
  std::unique_lock lock(mutex_);
  if (read_at != current(table_id)) return;  // written meanwhile: it would never be served
  if (answers_.size() >= capacity_) {
    answers_.clear();
    if (generations_.size() >= capacity_) forget_generations();
    if (read_at != current(table_id)) return;
  }
  answers_[answer_key(table_id, key)] = {read_at, std::move(shared)};
}

void ReadCache::invalidate(const std::string& tenant, const std::string& table) {
  std::unique_lock lock(mutex_);
  generations_[table_key(tenant, table)] = ++clock_;
}

void ReadCache::clear() {
  std::unique_lock lock(mutex_);
  answers_.clear();
  forget_generations();
}

void ReadCache::forget_generations() {
  generations_.clear();
  floor_ = ++clock_;
}

}  // namespace tribe::kernel::store
