#pragma once
// Answers of TenantStore reads kept in memory for a SQLite database, which one process owns.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "tribe/sdk/json.hpp"

namespace tribe::kernel::store {

// Each (tenant, table) has a generation that every write to it raises. A reader takes the
// generation before it queries and stores its answer tagged with it; an answer is served only
// while its tag is still the table's generation. A write that lands while a reader queries raises
// the generation after it executed, so the reader's answer, old or new, is never served.
// Thread-safe; bounded (it starts over when full).
class ReadCache {
 public:
  using Generation = std::uint64_t;
  static constexpr std::size_t kDefaultCapacity = 4096;

  explicit ReadCache(std::size_t capacity = kDefaultCapacity);

  // Take before querying the database; pass to store().
  Generation generation(const std::string& tenant, const std::string& table) const;
  // The answer stored under `key` (the statement's SQL and bound values), if still current.
  std::optional<sdk::Json> find(const std::string& tenant, const std::string& table,
                                const std::string& key) const;
  void store(const std::string& tenant, const std::string& table, std::string key,
             Generation read_at, sdk::Json answer);

  // After a write to (tenant, table): no answer read before it is served again.
  void invalidate(const std::string& tenant, const std::string& table);
  // After a migration, which may change any table and its rows.
  void clear();

 private:
  struct Answer {
    Generation read_at;
    std::shared_ptr<const sdk::Json> answer;
  };

  Generation current(const std::string& table_key) const;  // caller holds mutex_
  void forget_generations();                               // caller holds mutex_ exclusively

  std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Answer> answers_;
  std::unordered_map<std::string, Generation> generations_;  // by table_key()
  // Generations only grow: each raise takes a new number, and a table with no entry in
  // generations_ is at `floor_`, so a number once given out never comes back after clear().
  Generation clock_ = 0;
  Generation floor_ = 0;
};

}  // namespace tribe::kernel::store
