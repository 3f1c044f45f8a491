// The outbox on the backend this executable links (SQLite files or a real PostgreSQL server).
#include "kernel/events/outbox.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "kernel/store/tests/test_database.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::events {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::ThrowsMessage;

const auto t0 = std::chrono::system_clock::time_point{} + seconds(1'800'000'000);

// What handlers saw, by handler name, safe to fill from several threads.
class Calls {
 public:
  std::function<void(const Event&)> recorder(const std::string& handler) {
    return [this, handler](const Event& event) { add(handler, event); };
  }
  void add(const std::string& handler, const Event& event) {
    std::lock_guard lock(mutex_);
    events_[handler].push_back(event);
    ++count_[handler + " " + event.tenant + "/" + event.id];
    seen_.notify_all();
  }
  std::vector<Event> of(const std::string& handler) const {
    std::lock_guard lock(mutex_);
    auto found = events_.find(handler);
    return found == events_.end() ? std::vector<Event>{} : found->second;
  }
  std::vector<std::string> ids_of(const std::string& handler) const {
    std::vector<std::string> ids;
    for (const auto& event : of(handler)) ids.push_back(event.id);
    return ids;
  }
  // "handler tenant/id" -> calls
  std::map<std::string, int> counts() const {
    std::lock_guard lock(mutex_);
    return count_;
  }
  // Waits for `count` calls of `handler`; the bound only keeps a broken outbox from hanging.
  bool wait_for(const std::string& handler, std::size_t count) {
    std::unique_lock lock(mutex_);
    return seen_.wait_for(lock, std::chrono::seconds(30),
                          [&] { return events_[handler].size() >= count; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable seen_;
  std::map<std::string, std::vector<Event>> events_;
  std::map<std::string, int> count_;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = store::testing::fresh_database_url();
    database_ = store::Database::open(url_, 8);
    outbox_ = std::make_unique<Outbox>(*database_);
    outbox_->migrate();
  }

  void TearDown() override {
    outbox_.reset();
    other_database_.reset();
    database_.reset();
    store::testing::discard_database(url_);
  }

  // The database a second process would use: its own connections on PostgreSQL; on SQLite the
  // same Database, since one process owns the file.
  store::Database& second_node() {
    if (store::testing::backend_under_test() == store::Backend::Sqlite) return *database_;
    if (!other_database_) other_database_ = store::Database::open(url_, 8);
    return *other_database_;
  }

  long long rows_in(const std::string& table) {
    long long count = 0;
    soci::session session(database_->pool());
    session << "SELECT COUNT(*) FROM " + table, soci::into(count);
    return count;
  }

  std::string url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<store::Database> other_database_;
  std::unique_ptr<Outbox> outbox_;
  Calls calls_;
};

TEST_F(OutboxTest, DeliversAnAppendedEventWithWhatWasAppended) {
  outbox_->subscribe("grant", "order.paid", calls_.recorder("grant"));
  EXPECT_TRUE(outbox_->append("club", "order-7.paid", "order.paid", {{"order", 7}}));
  EXPECT_EQ(outbox_->pending("club"), 1u);

  EXPECT_EQ(outbox_->deliver_pending(t0), 1u);
  EXPECT_EQ(outbox_->deliver_pending(t0 + seconds(3600)), 0u);

  const auto events = calls_.of("grant");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].tenant, "club");
  EXPECT_EQ(events[0].id, "order-7.paid");
  EXPECT_EQ(events[0].topic, "order.paid");
  EXPECT_EQ(events[0].payload, sdk::Json({{"order", 7}}));
  EXPECT_THAT(events[0].created_at,
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  EXPECT_EQ(outbox_->pending("club"), 0u);
}

TEST_F(OutboxTest, AnEventAppendedInARolledBackTransactionIsNeverDelivered) {
  outbox_->subscribe("grant", "order.paid", calls_.recorder("grant"));
  {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    EXPECT_TRUE(outbox_->append_in(session, "club", "order-7.paid", "order.paid", {}));
  }  // rolled back, as when the state change it reports fails
  EXPECT_EQ(outbox_->deliver_pending(t0), 0u);
  EXPECT_TRUE(calls_.of("grant").empty());
  EXPECT_EQ(rows_in("tribe_outbox"), 0);
}

TEST_F(OutboxTest, ARepeatedIdIsIgnoredEvenInsideOneTransaction) {
  outbox_->subscribe("grant", "order.paid", calls_.recorder("grant"));
  {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    EXPECT_TRUE(outbox_->append_in(session, "club", "order-7.paid", "order.paid", {{"n", 1}}));
    EXPECT_FALSE(outbox_->append_in(session, "club", "order-7.paid", "order.paid", {{"n", 2}}));
    // On PostgreSQL a caught unique violation would have aborted the transaction here.
    EXPECT_TRUE(outbox_->append_in(session, "club", "order-8.paid", "order.paid", {{"n", 3}}));
    transaction.commit();
  }
  EXPECT_FALSE(outbox_->append("club", "order-7.paid", "order.paid", {{"n", 4}}));
  EXPECT_TRUE(outbox_->append("other-club", "order-7.paid", "order.paid", {{"n", 5}}));

  EXPECT_EQ(outbox_->deliver_pending(t0), 3u);
  EXPECT_FALSE(outbox_->append("club", "order-7.paid", "order.paid", {}));  // also once delivered
  EXPECT_EQ(outbox_->deliver_pending(t0 + seconds(3600)), 0u);
  std::vector<int> seen;
  for (const auto& event : calls_.of("grant")) seen.push_back(event.payload.at("n"));
  std::sort(seen.begin(), seen.end());
  EXPECT_THAT(seen, ElementsAre(1, 3, 5));
}

TEST_F(OutboxTest, AHandlerThatThrewIsRetriedWithoutCallingTheOthersAgain) {
  int receipts = 0;
  outbox_->subscribe("grant", "order.paid", calls_.recorder("grant"));
  outbox_->subscribe("receipt", "order.paid", [&](const Event& event) {
    if (++receipts == 1) throw std::runtime_error("mail server down");
    calls_.add("receipt", event);
  });
  outbox_->append("club", "order-7.paid", "order.paid", {});
  std::ostringstream log;

  EXPECT_EQ(outbox_->deliver_pending(t0, 64, &log), 1u);  // grant only
  EXPECT_EQ(outbox_->pending("club"), 1u);
  EXPECT_EQ(outbox_->deliver_pending(t0 + seconds(4), 64, &log), 0u);  // backoff: 5 s
  EXPECT_EQ(outbox_->deliver_pending(t0 + seconds(5), 64, &log), 1u);  // receipt only
  EXPECT_EQ(outbox_->deliver_pending(t0 + seconds(3600), 64, &log), 0u);

  EXPECT_EQ(calls_.of("grant").size(), 1u);
  EXPECT_EQ(receipts, 2);
  EXPECT_EQ(calls_.of("receipt").size(), 1u);
  EXPECT_EQ(outbox_->pending("club"), 0u);
  EXPECT_EQ(rows_in("tribe_event_deliveries"), 2);
  EXPECT_THAT(log.str(), HasSubstr("warn events: event 'order-7.paid' (topic 'order.paid', "
                                   "tenant 'club'): handler 'receipt' failed on attempt 1: "
                                   "mail server down; retrying in 5 s"));
}

TEST_F(OutboxTest, HandlersGetTheirTopicOrAllAndUnhandledTopicsWait) {
  outbox_->subscribe("grant", "order.paid", calls_.recorder("grant"));
  outbox_->subscribe("grant", "order.renewed", calls_.recorder("grant"));
  outbox_->append("club", "e1", "order.paid", {});
  outbox_->append("club", "e2", "member.joined", {});
  outbox_->append("club", "e3", "order.renewed", {});

  EXPECT_EQ(outbox_->deliver_pending(t0), 2u);
  EXPECT_THAT(calls_.ids_of("grant"), ElementsAre("e1", "e3"));
  EXPECT_EQ(outbox_->pending("club"), 1u);  // nobody here takes member.joined yet

  Outbox audit_node(second_node());
  audit_node.subscribe("audit", "*", calls_.recorder("audit"));
  EXPECT_EQ(audit_node.deliver_pending(t0), 1u);
  EXPECT_THAT(calls_.ids_of("audit"), ElementsAre("e2"));
  EXPECT_EQ(outbox_->pending("club"), 0u);
}

// A process killed while delivering never marks the event: here the first outbox's handler is
// still running (as if hung or dead) when a second outbox looks at the event.
TEST_F(OutboxTest, AnEventWhoseLeaseExpiredIsDeliveredAgain) {
  const seconds lease(30);
  Outbox first(*database_, lease);
  Outbox second(second_node(), lease);
  std::size_t second_before_expiry = 99;
  std::size_t second_after_expiry = 99;
  first.subscribe("grant", "order.paid", [&](const Event& event) {
    calls_.add("grant", event);
    second_before_expiry = second.deliver_pending(t0 + lease - seconds(1));
    second_after_expiry = second.deliver_pending(t0 + lease);
  });
  second.subscribe("grant", "order.paid", calls_.recorder("grant"));
  first.append("club", "order-7.paid", "order.paid", {});

  EXPECT_EQ(first.deliver_pending(t0), 1u);
  EXPECT_EQ(second_before_expiry, 0u);
  EXPECT_EQ(second_after_expiry, 1u);
  EXPECT_EQ(calls_.of("grant").size(), 2u);
  EXPECT_EQ(first.pending("club"), 0u);
  EXPECT_EQ(rows_in("tribe_event_deliveries"), 1);
}

TEST_F(OutboxTest, ConcurrentDispatchersDeliverEachEventToEachHandlerOnce) {
  constexpr int kEvents = 300;
  for (int i = 0; i < kEvents; ++i) {
    outbox_->append("club", "order-" + std::to_string(i) + ".paid", "order.paid", {{"order", i}});
  }
  Outbox first(*database_);
  Outbox second(second_node());
  for (Outbox* outbox : {&first, &second}) {
    outbox->subscribe("grant", "order.paid", calls_.recorder("grant"));
    outbox->subscribe("receipt", "order.paid", calls_.recorder("receipt"));
  }
  std::size_t made[2] = {0, 0};
  auto drain = [&](Outbox& outbox, std::size_t& total) {
    while (const std::size_t n = outbox.deliver_pending(t0, 16)) total += n;
  };
  std::thread one([&] { drain(first, made[0]); });
  std::thread two([&] { drain(second, made[1]); });
  one.join();
  two.join();

  EXPECT_EQ(made[0] + made[1], static_cast<std::size_t>(2 * kEvents));
  const auto counts = calls_.counts();
  EXPECT_EQ(counts.size(), static_cast<std::size_t>(2 * kEvents));
  for (const auto& [delivery, count] : counts) EXPECT_EQ(count, 1) << delivery;
  EXPECT_EQ(outbox_->pending("club"), 0u);
  EXPECT_EQ(rows_in("tribe_event_deliveries"), 2 * kEvents);
}

TEST_F(OutboxTest, TheBackgroundThreadDeliversAndSurvivesFailingHandlers) {
  outbox_->subscribe("broken", "order.paid",
                     [](const Event&) { throw std::runtime_error("template missing"); });
  outbox_->subscribe("grant", "order.paid", calls_.recorder("grant"));
  outbox_->append("club", "order-7.paid", "order.paid", {});
  std::ostringstream log;

  outbox_->start(std::chrono::milliseconds(10), &log);
  EXPECT_THROW(outbox_->start(), std::logic_error);
  EXPECT_TRUE(calls_.wait_for("grant", 1));
  outbox_->stop();

  EXPECT_THAT(calls_.ids_of("grant"), ElementsAre("order-7.paid"));
  EXPECT_THAT(log.str(), HasSubstr("handler 'broken' failed on attempt 1: template missing"));
  EXPECT_EQ(outbox_->pending("club"), 1u);  // waits for 'broken'
}

TEST_F(OutboxTest, RefusesWhatCannotWorkWithAMessageSayingWhy) {
  outbox_->subscribe("grant", "order.paid", calls_.recorder("grant"));
  EXPECT_THAT([&] { outbox_->subscribe("grant", "order.paid", calls_.recorder("grant")); },
              ThrowsMessage<OutboxError>(HasSubstr("'grant' already takes topic 'order.paid'")));
  EXPECT_THAT([&] { outbox_->subscribe("grant", "*", calls_.recorder("grant")); },
              ThrowsMessage<OutboxError>(HasSubstr("use another name")));
  EXPECT_THROW(outbox_->subscribe("", "order.paid", calls_.recorder("x")), OutboxError);
  EXPECT_THROW(outbox_->subscribe("audit", "", calls_.recorder("x")), OutboxError);
  EXPECT_THAT([&] { outbox_->append("club", "e1", "*", {}); },
              ThrowsMessage<OutboxError>(HasSubstr("'*' is not a topic")));
  EXPECT_THAT([&] { outbox_->append("club", "", "order.paid", {}); },
              ThrowsMessage<OutboxError>(HasSubstr("an event needs a id")));
  EXPECT_EQ(rows_in("tribe_outbox"), 0);
}

}  // namespace
}  // namespace tribe::kernel::events
