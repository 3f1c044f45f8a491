#pragma once
#include <functional>
#include <string>
#include <vector>

#include "kernel/events/event.hpp"

namespace tribe::kernel::events {

// Which named handler wants which topic. A handler's name keys its deliveries in
// tribe_event_deliveries, so one name may serve several topics but must never match one event
// twice: the same topic twice, or "*" together with any other topic, is refused. Not
// thread-safe: the outbox guards it.
class Subscriptions {
 public:
  using Handle = std::function<void(const Event&)>;
  struct Subscription {
    std::string handler;
    std::string topic;
    Handle handle;
  };

  // Throws OutboxError naming the handler and what to change.
  void add(const std::string& handler, const std::string& topic, Handle handle);
  // The subscriptions an event of `topic` goes to, in subscription order.
  std::vector<Subscription> matching(const std::string& topic) const;
  // The topics to claim events of; empty when some handler takes every topic ("*").
  std::vector<std::string> topics() const;
  bool any_topic() const;
  bool empty() const { return list_.empty(); }

 private:
  std::vector<Subscription> list_;
};

}  // namespace tribe::kernel::events
