#include "kernel/events/subscriptions.hpp"

#include <algorithm>

namespace tribe::kernel::events {
namespace {

constexpr const char* kAnyTopic = "*";
constexpr std::size_t kMaxNameLength = 200;

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

bool overlap(const std::string& a, const std::string& b) {
  return a == b || a == kAnyTopic || b == kAnyTopic;
}

}  // namespace

void Subscriptions::add(const std::string& handler, const std::string& topic, Handle handle) {
  if (handler.empty() || handler.size() > kMaxNameLength) {
    throw OutboxError("an event handler needs a name of 1 to " + std::to_string(kMaxNameLength) +
                      " characters; deliveries are recorded under it");
  }
  const std::string where = "event handler " + quoted(handler);
  if (topic.empty()) throw OutboxError(where + " needs a topic, e.g. 'order.paid', or '*'");
  if (!handle) throw OutboxError(where + " for topic " + quoted(topic) + " has no function");
  for (const auto& existing : list_) {
    if (existing.handler == handler && overlap(existing.topic, topic)) {
      throw OutboxError(where + " already takes topic " + quoted(existing.topic) +
                        ", which overlaps " + quoted(topic) +
                        "; an event is delivered once per handler name, so use another name");
    }
  }
  list_.push_back({handler, topic, std::move(handle)});
}

std::vector<Subscriptions::Subscription> Subscriptions::matching(const std::string& topic) const {
  std::vector<Subscription> result;
  for (const auto& subscription : list_) {
    if (subscription.topic == topic || subscription.topic == kAnyTopic) {
      result.push_back(subscription);
    }
  }
  return result;
}

bool Subscriptions::any_topic() const {
  return std::any_of(list_.begin(), list_.end(),
                     [](const Subscription& s) { return s.topic == kAnyTopic; });
}

std::vector<std::string> Subscriptions::topics() const {
  std::vector<std::string> topics;
  if (any_topic()) return topics;
  for (const auto& subscription : list_) {
    if (std::find(topics.begin(), topics.end(), subscription.topic) == topics.end()) {
      topics.push_back(subscription.topic);
    }
  }
  return topics;
}

}  // namespace tribe::kernel::events
