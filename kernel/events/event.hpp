#pragma once
#include <stdexcept>
#include <string>

#include "tribe/sdk/json.hpp"

namespace tribe::kernel::events {

// Something that happened in one tenant, written in the same transaction as the state change
// it reports. `id` is the deduplication key handlers use: delivery is at least once.
struct Event {
  std::string tenant;
  std::string id;
  std::string topic;  // "order.paid"; "*" is reserved for subscribing to every topic
  sdk::Json payload;
  std::string created_at;  // UTC, ISO 8601, when it was appended
};

// An event or subscription the outbox refuses; the message says what is wrong and what to do.
class OutboxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tribe::kernel::events
