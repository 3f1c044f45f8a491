// Entitlements granted, extended, revoked and expired, on the backend this executable links.
#include "kernel/money/entitlements.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>

#include "kernel/money/money_migrations.hpp"
#include "kernel/money/orders.hpp"
#include "kernel/money/payments.hpp"
#include "kernel/money/tests/run_together.hpp"
#include "kernel/store/tests/test_database.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money::testing {
namespace {

using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;
using std::chrono::days;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A fixed "now" (2027-01-15 08:00 UTC): tests move time by adding to it, never by waiting.
const Clock::time_point kNoon = Clock::time_point(std::chrono::seconds(1'800'000'000));
const Term kMonth{0, 1, 0, 0};
const Term kYear{1, 0, 0, 0};

class EntitlementsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = store::testing::fresh_database_url();
    database_ = store::Database::open(url_, 8);
    orders_ = std::make_unique<OrderBook>(*database_, 15min);
    EXPECT_EQ(orders_->migrate(), static_cast<int>(money_migrations().size()));
    book_ = std::make_unique<EntitlementBook>(*database_);
  }

  void TearDown() override {
    book_.reset();
    orders_.reset();
    database_.reset();
    store::testing::discard_database(url_);
  }

  // grant_in in a transaction of its own, committed, as a payment's would be.
  Entitlement grant(const std::string& order_id, const std::optional<Term>& term,
                    Clock::time_point now, int trial_days = 0, int grace_days = 0,
                    const std::string& key = "member", const std::string& account = "42",
                    const std::string& tenant = "acme") {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    Entitlement granted =
        book_->grant_in(session, tenant, account, key, order_id, term, trial_days, grace_days, now);
    transaction.commit();
    return granted;
  }

  void revoke(const std::string& order_id, Clock::time_point now,
              const std::string& tenant = "acme") {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    book_->revoke_order_in(session, tenant, order_id, now);
    transaction.commit();
  }

  bool allows(Clock::time_point now, const std::string& key = "member",
              const std::string& account = "42", const std::string& tenant = "acme") {
    return book_->allows(tenant, account, key, now);
  }

  std::optional<Entitlement> stored(const std::string& key = "member",
                                    const std::string& account = "42",
                                    const std::string& tenant = "acme") {
    for (auto& entitlement : book_->of(tenant, account)) {
      if (entitlement.key == key) return entitlement;
    }
    return std::nullopt;
  }

  long long count(const std::string& sql) {
    long long value = 0;
    soci::session session(database_->pool());
    session << sql, soci::into(value);
    return value;
  }

  std::string url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<OrderBook> orders_;
  std::unique_ptr<EntitlementBook> book_;
};

TEST_F(EntitlementsTest, AGrantWithoutTermIsForEver) {
  const Entitlement granted = grant("order-1", std::nullopt, kNoon);
  EXPECT_EQ(granted, (Entitlement{"42", "member", "order-1", kNoon, std::nullopt, 0, false}));
  EXPECT_EQ(stored(), granted);
  EXPECT_TRUE(allows(kNoon));
  EXPECT_TRUE(allows(kNoon + days(365 * 100)));
  EXPECT_FALSE(allows(kNoon - 1s));  // not before it was granted
  EXPECT_FALSE(allows(kNoon, "course"));
  EXPECT_FALSE(allows(kNoon, "member", "43"));
  EXPECT_THAT(book_->expire_due(kNoon + days(365 * 100)), IsEmpty());
}

TEST_F(EntitlementsTest, ATermRunsToItsEndAndThroughTheGraceDays) {
  const Entitlement granted = grant("order-1", kMonth, kNoon + 250ms, 0, 3);
  const Clock::time_point end = add_term(kNoon, kMonth);
  EXPECT_EQ(granted.starts_at, kNoon);  // stored to the second
  EXPECT_EQ(granted.ends_at, end);
  EXPECT_EQ(granted.grace_days, 3);
  EXPECT_EQ(stored(), granted);

  EXPECT_TRUE(allows(kNoon));
  EXPECT_TRUE(allows(end - 1s));
  EXPECT_TRUE(allows(end));  // within grace
  EXPECT_TRUE(allows(end + days(3) - 1s));
  EXPECT_FALSE(allows(end + days(3)));  // without the sweep having run
  EXPECT_FALSE(allows(end + days(30)));

  grant("order-2", kMonth, kNoon, 0, 0, "course");
  EXPECT_TRUE(allows(end - 1s, "course"));
  EXPECT_FALSE(allows(end, "course"));  // no grace: ends at the end
}

TEST_F(EntitlementsTest, ARenewalWhileActiveExtendsFromTheOldEnd) {
  grant("order-1", kMonth, kNoon, 0, 5);
  const Clock::time_point first_end = add_term(kNoon, kMonth);

  const Entitlement renewed = grant("order-2", kMonth, kNoon + days(10), 0, 5);
  EXPECT_EQ(renewed.starts_at, kNoon);
  EXPECT_EQ(renewed.ends_at, add_term(first_end, kMonth));
  EXPECT_EQ(renewed.order_id, "order-2");
  EXPECT_EQ(stored(), renewed);

  // Renewed in the grace days: still from the old end, so no paid day is lost or gap left.
  const Clock::time_point second_end = *renewed.ends_at;
  const Entitlement late = grant("order-3", kYear, second_end + days(4), 0, 5);
  EXPECT_EQ(late.starts_at, kNoon);
  EXPECT_EQ(late.ends_at, add_term(second_end, kYear));
  EXPECT_TRUE(allows(second_end + days(4)));
}

TEST_F(EntitlementsTest, ARenewalAfterExpiryRestartsAtNow) {
  grant("order-1", kMonth, kNoon, 0, 2);
  const Clock::time_point grace_end = add_term(kNoon, kMonth) + days(2);
  EXPECT_FALSE(allows(grace_end));

  const Entitlement restarted = grant("order-2", kYear, grace_end, 0, 2);
  EXPECT_EQ(restarted.starts_at, grace_end);
  EXPECT_EQ(restarted.ends_at, add_term(grace_end, kYear));
  EXPECT_FALSE(restarted.expired);
  EXPECT_TRUE(allows(grace_end));

  // The same after the sweep marked it expired.
  const Clock::time_point later = *restarted.ends_at + days(40);
  EXPECT_EQ(book_->expire_due(later).size(), 1u);
  const Entitlement again = grant("order-3", kMonth, later, 0, 2);
  EXPECT_EQ(again.starts_at, later);
  EXPECT_EQ(again.ends_at, add_term(later, kMonth));
  EXPECT_FALSE(again.expired);
  EXPECT_FALSE(stored()->expired);
  EXPECT_TRUE(allows(later));
}

TEST_F(EntitlementsTest, TheSameOrderGrantedTwiceChangesNothing) {
  const Entitlement first = grant("order-1", kMonth, kNoon, 7, 3);
  const Entitlement redelivered = grant("order-1", kYear, kNoon + days(5), 7, 3);
  EXPECT_EQ(redelivered, first);
  EXPECT_EQ(stored(), first);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_entitlement_grants"), 1);

  // Long after it ran out, still nothing: a redelivered payment does not restart it.
  const Entitlement much_later = grant("order-1", kMonth, kNoon + days(400), 7, 3);
  EXPECT_EQ(much_later, first);
  EXPECT_FALSE(allows(kNoon + days(400)));

  // The same order also grants its other keys once each.
  grant("order-1", kMonth, kNoon, 0, 0, "course");
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_entitlement_grants"), 2);

  try {
    grant("order-1", kMonth, kNoon, 7, 3, "member", "43");
    FAIL() << "an order granted its key to a second account";
  } catch (const MoneyError& e) {
    EXPECT_THAT(e.what(), HasSubstr("order 'order-1' granted 'member' to account '42', not '43'"));
  }
  EXPECT_FALSE(stored("member", "43").has_value());
}

TEST_F(EntitlementsTest, TrialDaysAddToTheFirstGrantOnly) {
  const Entitlement first = grant("order-1", kMonth, kNoon, 7);
  EXPECT_EQ(first.ends_at, add_term(kNoon, kMonth) + days(7));

  const Entitlement renewed = grant("order-2", kMonth, kNoon + days(20), 7);
  EXPECT_EQ(renewed.ends_at, add_term(*first.ends_at, kMonth));

  const Clock::time_point expired_at = *renewed.ends_at + days(1);
  const Entitlement restarted = grant("order-3", kMonth, expired_at, 7);
  EXPECT_EQ(restarted.ends_at, add_term(expired_at, kMonth));

  // The account's first grant of another key gets its trial.
  const Entitlement course = grant("order-4", kMonth, kNoon, 7, 0, "course");
  EXPECT_EQ(course.ends_at, add_term(kNoon, kMonth) + days(7));
}

TEST_F(EntitlementsTest, RevokingAnOrderEndsItsGrantsNow) {
  grant("order-1", kYear, kNoon, 0, 10, "member");
  grant("order-1", std::nullopt, kNoon, 0, 0, "course");
  grant("order-2", kYear, kNoon, 0, 0, "extra");
  const Clock::time_point refund_at = kNoon + days(5) + 500ms;

  revoke("order-1", refund_at);

  const Clock::time_point now = kNoon + days(5);
  for (const char* key : {"member", "course"}) {
    auto revoked = stored(key);
    ASSERT_TRUE(revoked.has_value()) << key;
    EXPECT_EQ(revoked->ends_at, now) << key;
    EXPECT_TRUE(revoked->expired) << key;
    EXPECT_FALSE(allows(now, key)) << key;  // the grace days do not apply to a refund
    EXPECT_FALSE(allows(kNoon + days(1), key)) << key;
  }
  EXPECT_TRUE(allows(now, "extra"));
  EXPECT_FALSE(stored("extra")->expired);

  revoke("order-1", now + days(1));  // a second refund notice moves nothing
  EXPECT_EQ(stored("member")->ends_at, now);
  revoke("no-such-order", now);
  EXPECT_THAT(book_->expire_due(now + days(1000)),
              ElementsAre(::testing::Pair("acme", ::testing::Field(&Entitlement::key, "extra"))));

  // A later order grants afresh, without trial days: the account had the key before.
  const Entitlement regranted = grant("order-3", kMonth, now + days(1), 7, 0, "member");
  EXPECT_EQ(regranted.starts_at, now + days(1));
  EXPECT_EQ(regranted.ends_at, add_term(now + days(1), kMonth));
  EXPECT_TRUE(allows(now + days(1)));
}

TEST_F(EntitlementsTest, ExpireDueMarksAndReturnsExactlyTheDueOnesOnce) {
  grant("o-due", kMonth, kNoon, 0, 0, "due");
  grant("o-grace", kMonth, kNoon, 0, 5, "in-grace");
  grant("o-ever", std::nullopt, kNoon, 0, 0, "for-ever");
  grant("o-long", kYear, kNoon, 0, 0, "long");
  grant("o-edge", kMonth, kNoon - days(3), 0, 3, "edge");  // grace ends exactly at `now`
  grant("o-refunded", kMonth, kNoon, 0, 0, "refunded");
  revoke("o-refunded", kNoon + days(1));
  grant("o-globex", kMonth, kNoon, 0, 0, "due", "7", "globex");
  const Clock::time_point now = add_term(kNoon, kMonth);

  const auto expired = book_->expire_due(now);
  ASSERT_EQ(expired.size(), 3u);
  EXPECT_EQ(expired[0].first, "acme");
  EXPECT_EQ(expired[0].second, (Entitlement{"42", "due", "o-due", kNoon, now, 0, true}));
  EXPECT_EQ(expired[1].first, "acme");
  EXPECT_EQ(expired[1].second.key, "edge");
  EXPECT_EQ(expired[2].first, "globex");
  EXPECT_EQ(expired[2].second, (Entitlement{"7", "due", "o-globex", kNoon, now, 0, true}));

  EXPECT_THAT(book_->expire_due(now), IsEmpty());
  EXPECT_TRUE(stored("due")->expired);
  EXPECT_TRUE(stored("edge")->expired);
  EXPECT_FALSE(stored("in-grace")->expired);
  EXPECT_FALSE(stored("for-ever")->expired);
  EXPECT_FALSE(stored("long")->expired);
  EXPECT_TRUE(allows(now, "in-grace"));
  EXPECT_FALSE(allows(now - 1s, "due"));  // once marked, also for an earlier `now`

  const auto in_five_days = book_->expire_due(now + days(5));
  ASSERT_EQ(in_five_days.size(), 1u);
  EXPECT_EQ(in_five_days[0].second.key, "in-grace");
}

TEST_F(EntitlementsTest, AGrantInARolledBackTransactionLeavesNothing) {
  {
    soci::session session(database_->pool());
    store::WriteTransaction transaction(*database_, session);
    const Entitlement granted =
        book_->grant_in(session, "acme", "42", "member", "order-1", kMonth, 7, 0, kNoon);
    EXPECT_EQ(granted.ends_at, add_term(kNoon, kMonth) + days(7));
  }  // not committed: rolled back, as when a later payment hook throws
  EXPECT_FALSE(allows(kNoon));
  EXPECT_THAT(book_->of("acme", "42"), IsEmpty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_entitlement_grants"), 0);

  // The redelivered payment grants it, still as the first grant (with its trial).
  const Entitlement granted = grant("order-1", kMonth, kNoon + 1min, 7);
  EXPECT_EQ(granted.ends_at, add_term(kNoon + 1min, kMonth) + days(7));
  EXPECT_TRUE(allows(kNoon + 1min));
}

TEST_F(EntitlementsTest, TenantsAreIsolated) {
  grant("order-1", kMonth, kNoon, 0, 0, "member", "42", "acme");
  EXPECT_TRUE(allows(kNoon, "member", "42", "acme"));
  EXPECT_FALSE(allows(kNoon, "member", "42", "globex"));
  EXPECT_THAT(book_->of("globex", "42"), IsEmpty());

  // The same order id in another tenant is another order: granted there too, once.
  const Entitlement globex = grant("order-1", kYear, kNoon, 0, 0, "member", "42", "globex");
  EXPECT_EQ(globex.ends_at, add_term(kNoon, kYear));
  EXPECT_EQ(stored("member", "42", "acme")->ends_at, add_term(kNoon, kMonth));

  revoke("order-1", kNoon + days(1), "globex");
  EXPECT_FALSE(allows(kNoon + days(1), "member", "42", "globex"));
  EXPECT_TRUE(allows(kNoon + days(1), "member", "42", "acme"));
}

TEST_F(EntitlementsTest, ConcurrentOrdersOfOneKeyEachAddTheirTerm) {
  const auto failures =
      run_together(6, [&](int t) { grant("order-" + std::to_string(t), kMonth, kNoon); });
  EXPECT_THAT(failures, IsEmpty());
  const auto held = stored();
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->starts_at, kNoon);
  // kNoon is the 15th: six months from it, in any order, end on July 15 at 08:00.
  EXPECT_EQ(held->ends_at, add_term(kNoon, Term{0, 6, 0, 0}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_entitlement_grants"), 6);
}

TEST_F(EntitlementsTest, RefusesGrantsItCannotKeep) {
  auto refusal = [&](const std::string& key, const std::optional<Term>& term, int trial,
                     int grace) -> std::string {
    try {
      grant("order-1", term, kNoon, trial, grace, key);
    } catch (const MoneyError& e) {
      return e.what();
    }
    return "granted";
  };
  EXPECT_THAT(refusal("member", std::nullopt, 7, 0),
              HasSubstr("has trial or grace days but no term"));
  EXPECT_THAT(refusal("member", std::nullopt, 0, 3), HasSubstr("give the offer a term"));
  EXPECT_THAT(refusal("member", kMonth, 4000, 0), HasSubstr("trial_days of entitlement 'member' "
                                                            "is 4000; use 0 to 3650"));
  EXPECT_THAT(refusal("member", kMonth, 0, -1), HasSubstr("grace_days"));
  EXPECT_THAT(refusal("", kMonth, 0, 0), HasSubstr("needs a key"));
  EXPECT_THAT(book_->of("acme", "42"), IsEmpty());
}

// What the kernel wires: a paid order grants its offer's keys in the payment's transaction, its
// refund revokes them in the refund's.
TEST_F(EntitlementsTest, PaymentsGrantAndRefundsRevokeThroughTheHooks) {
  PaymentBook payments(*database_, *orders_);
  payments.on_paid([&](soci::session& session, const std::string& tenant, const Order& order) {
    book_->grant_in(session, tenant, order.account_id, "member", order.id, kYear, 0, 0,
                    *order.paid_at);
  });
  payments.on_refunded([&](soci::session& session, const std::string& tenant, const Order& order) {
    book_->revoke_order_in(session, tenant, order.id, kNoon + days(2));
  });
  const Order order =
      orders_
          ->create("acme",
                   {"key-1", "42", {"club", Amount(9900, "EUR"), std::nullopt}, 1, "sandbox", ""},
                   kNoon)
          .order;
  const PaymentEvent paid{"sandbox", "evt-1", "payment.succeeded", order.id, order.amount};

  EXPECT_EQ(payments.apply("acme", paid, kNoon + 1min).applied, Applied::Applied);
  EXPECT_TRUE(allows(kNoon + days(1)));
  EXPECT_EQ(stored()->ends_at, add_term(kNoon + 1min, kYear));
  EXPECT_EQ(payments.apply("acme", paid, kNoon + days(1)).applied, Applied::Duplicate);
  EXPECT_EQ(stored()->ends_at, add_term(kNoon + 1min, kYear));

  const PaymentEvent refunded{"sandbox", "evt-2", "refund.succeeded", order.id, order.amount};
  EXPECT_EQ(payments.apply("acme", refunded, kNoon + days(2)).applied, Applied::Applied);
  EXPECT_FALSE(allows(kNoon + days(2)));
  EXPECT_TRUE(stored()->expired);
}

}  // namespace
}  // namespace tribe::kernel::money::testing
