#pragma once
// Storage as a plugin sees it: bound to one tenant and to the plugin's own tables. There is no raw
// SQL here on purpose: the kernel writes every statement, so `tenant_id` is always the tenant's.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tribe/sdk/abi.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::sdk {

struct TRIBE_SDK_API Query {
  std::string table;
  Json where = Json::object();  // column -> value, all must be equal
  std::string order_by;         // a column, or empty
  bool descending = false;
  int limit = 0;  // 0: no limit
};

// A row is a JSON object of column -> value (string, integer, number, boolean or null). Rows
// never carry `tenant_id`: the store adds it on write and removes it on read.
class TRIBE_SDK_API TenantStore {
 public:
  virtual ~TenantStore() = default;
  virtual void insert(const std::string& table, const Json& row) = 0;
  virtual std::vector<Json> select(const Query& query) = 0;
  virtual std::optional<Json> find_one(const std::string& table, const Json& where) = 0;
  virtual std::int64_t count(const std::string& table, const Json& where) = 0;
  // Returns the number of rows changed.
  virtual std::int64_t update(const std::string& table, const Json& where, const Json& values) = 0;
  virtual std::int64_t remove(const std::string& table, const Json& where) = 0;
  // Runs `work` in one transaction; an exception rolls it back and propagates.
  virtual void transaction(const std::function<void(TenantStore&)>& work) = 0;
};

// Bad table or column names, a row naming tenant_id, a constraint violated.
class TRIBE_SDK_API StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tribe::sdk
