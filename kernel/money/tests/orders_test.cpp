// Orders and capacity on the backend this executable links (SQLite files or a real PostgreSQL).
#include "kernel/money/orders.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>

#include "kernel/money/tests/money_fixture.hpp"
#include "kernel/money/tests/run_together.hpp"

namespace tribe::kernel::money::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

using OrdersTest = MoneyTest;

PaymentEvent paid(const Order& order, const std::string& event_id) {
  return {"sandbox", event_id, "payment.succeeded", order.id, order.amount};
}

TEST_F(OrdersTest, CreatesAPendingOrderThatReservesCapacity) {
  OrderRequest wanted = request("key-1");
  wanted.quantity = 3;
  wanted.referrer = "partner-7";
  const auto made = orders_->create("acme", wanted, kNoon);

  EXPECT_TRUE(made.created);
  const Order& order = made.order;
  EXPECT_THAT(order.id, MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(order.state, OrderState::Pending);
  EXPECT_EQ(order.amount, Amount(7500, "EUR"));
  EXPECT_EQ(order.reserved_until, kNoon + 15min);
  EXPECT_FALSE(order.paid_at.has_value());
  EXPECT_EQ(taken(), 3);

  auto stored = orders_->find("acme", order.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->account_id, "42");
  EXPECT_EQ(stored->offer_id, "gala");
  EXPECT_EQ(stored->quantity, 3);
  EXPECT_EQ(stored->amount, Amount(7500, "EUR"));
  EXPECT_EQ(stored->provider, "sandbox");
  EXPECT_EQ(stored->referrer, "partner-7");
  EXPECT_EQ(stored->idempotency_key, "key-1");
  EXPECT_EQ(stored->created_at, kNoon);
  EXPECT_EQ(stored->reserved_until, kNoon + 15min);
  EXPECT_EQ(to_string(stored->state), "pending");
  EXPECT_FALSE(orders_->find("globex", order.id).has_value());
}

// Ids lead with the creation time, so newer orders land on the last index pages, and end in 80
// random bits, so two orders of one millisecond still differ and none can be guessed.
TEST_F(OrdersTest, OrderIdsSortByCreationTimeAndDifferInTheirRandomPart) {
  const Order first = create(request("key-1"), kNoon);
  const Order same_time = create(request("key-2"), kNoon);
  const Order later = create(request("key-3"), kNoon + 1ms);
  const Order much_later = create(request("key-4"), kNoon + 24h);

  EXPECT_THAT(first.id, MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(first.id.substr(0, 12), same_time.id.substr(0, 12)) << "one millisecond";
  EXPECT_NE(first.id.substr(12), same_time.id.substr(12));
  EXPECT_LT(std::max(first.id, same_time.id), later.id);
  EXPECT_LT(later.id, much_later.id);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>((kNoon + 1ms).time_since_epoch());
  EXPECT_EQ(std::stoll(later.id.substr(0, 12), nullptr, 16), millis.count());
}

TEST_F(OrdersTest, FiftyBuyersForTheLastTenSeatsGetExactlyTen) {
  orders_->set_capacity("acme", "gala", 100);
  OrderRequest earlier = request("earlier");
  earlier.quantity = 90;
  create(earlier);

  std::atomic<int> sold_out{0};
  std::mutex mutex;
  std::vector<Order> bought;
  auto failures = run_together(50, [&](int buyer) {
    try {
      Order order = create(request("key", "buyer-" + std::to_string(buyer)));
      std::lock_guard lock(mutex);
      bought.push_back(order);
    } catch (const SoldOut& e) {
      EXPECT_THAT(e.what(), HasSubstr("offer 'gala' of tenant 'acme' is sold out"));
      EXPECT_EQ(e.left(), 0);
      ++sold_out;
    }
  });
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(bought.size(), 10u);
  EXPECT_EQ(sold_out, 40);
  EXPECT_EQ(taken(), 100);
  EXPECT_THAT(orders_->check_stock("acme"), IsEmpty());

  std::atomic<int> applied{0};
  failures = run_together(10, [&](int i) {
    const Order& order = bought[static_cast<std::size_t>(i)];
    if (payments_->apply("acme", paid(order, "evt-" + order.id), kNoon + 1min).applied ==
        Applied::Applied) {
      ++applied;
    }
  });
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(applied, 10);
  for (const Order& order : bought) EXPECT_EQ(state_of(order.id), OrderState::Paid) << order.id;
  EXPECT_EQ(ledger_->balance("acme", "site:revenue", "EUR"), -10 * 2500);
  EXPECT_EQ(ledger_->balance("acme", "provider:sandbox", "EUR"), 10 * 2500);
  EXPECT_EQ(taken(), 100);
}

TEST_F(OrdersTest, SameKeyAndParametersReturnTheFirstOrder) {
  const auto first = orders_->create("acme", request("key-1"), kNoon);
  const auto again = orders_->create("acme", request("key-1"), kNoon + 1min);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.order.id, first.order.id);
  EXPECT_EQ(again.order.created_at, kNoon);
  EXPECT_EQ(taken(), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_orders"), 1);

  // Keys belong to an account and a tenant.
  EXPECT_TRUE(orders_->create("acme", request("key-1", "43"), kNoon).created);
  EXPECT_TRUE(orders_->create("globex", request("key-1"), kNoon).created);
}

TEST_F(OrdersTest, ConcurrentRequestsWithOneKeyMakeOneOrder) {
  std::mutex mutex;
  std::set<std::string> ids;
  std::atomic<int> created{0};
  auto failures = run_together(8, [&](int) {
    const auto made = orders_->create("acme", request("key-1"), kNoon);
    if (made.created) ++created;
    std::lock_guard lock(mutex);
    ids.insert(made.order.id);
  });
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_EQ(created, 1);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(taken(), 1);
}

TEST_F(OrdersTest, SameKeyWithOtherParametersConflictsNamingTheDifference) {
  create(request("key-1"));
  auto conflict = [&](const OrderRequest& other) -> std::string {
    try {
      orders_->create("acme", other, kNoon);
    } catch (const OrderConflict& e) {
      return e.what();
    }
    return "accepted";
  };
  OrderRequest more = request("key-1");
  more.quantity = 2;
  OrderRequest other_provider = request("key-1");
  other_provider.provider = "manual";
  OrderRequest referred = request("key-1");
  referred.referrer = "partner-7";

  EXPECT_THAT(conflict(more), HasSubstr("quantity 1 (this request: 2)"));
  EXPECT_THAT(conflict(more), HasSubstr("send a new idempotency key for a new order"));
  EXPECT_THAT(conflict(request("key-1", "42", "gala", 2400)),
              HasSubstr("price 2500 EUR (this request: 2400 EUR)"));
  EXPECT_THAT(conflict(request("key-1", "42", "picnic")),
              HasSubstr("offer 'gala' (this request: 'picnic')"));
  EXPECT_THAT(conflict(other_provider), HasSubstr("provider 'sandbox' (this request: 'manual')"));
  EXPECT_THAT(conflict(referred), HasSubstr("referrer '' (this request: 'partner-7')"));
  EXPECT_THAT(conflict(more),
              HasSubstr("idempotency key 'key-1' of account '42' in tenant 'acme'"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_orders"), 1);
  EXPECT_EQ(taken(), 1);
}

TEST_F(OrdersTest, AnEndedReservationFreesTheSeatForTheNextBuyer) {
  const Order first = create(request("key-1", "42", "gala", 2500, 1));
  try {
    create(request("key-2", "43", "gala", 2500, 1), kNoon + 14min);
    ADD_FAILURE() << "a second buyer got the only seat while it was reserved";
  } catch (const SoldOut& e) {
    EXPECT_THAT(e.what(), HasSubstr("sold out"));
  }
  const Order second = create(request("key-2", "43", "gala", 2500, 1), kNoon + 15min);
  EXPECT_EQ(state_of(first.id), OrderState::Expired);
  EXPECT_EQ(state_of(second.id), OrderState::Pending);
  EXPECT_EQ(taken(), 1);
}

TEST_F(OrdersTest, ExpireReservationsReleasesCapacityOfEveryTenant) {
  const Order early = create(request("key-1", "42", "gala", 2500, 2));
  const Order later = create(request("key-2", "43", "gala", 2500, 2), kNoon + 5min);
  orders_->create("globex", request("key-1"), kNoon);
  EXPECT_THROW(create(request("key-3", "44", "gala", 2500, 2), kNoon + 6min), SoldOut);

  EXPECT_EQ(orders_->expire_reservations(kNoon + 14min), 0u);
  EXPECT_EQ(orders_->expire_reservations(kNoon + 15min), 2u);  // acme's first, globex's
  EXPECT_EQ(orders_->expire_reservations(kNoon + 15min), 0u);
  EXPECT_EQ(state_of(early.id), OrderState::Expired);
  EXPECT_EQ(state_of(later.id), OrderState::Pending);
  EXPECT_EQ(taken(), 1);
  EXPECT_EQ(create(request("key-3", "44", "gala", 2500, 2), kNoon + 16min).state,
            OrderState::Pending);
}

TEST_F(OrdersTest, SoldOutSaysHowManyAreLeft) {
  orders_->set_capacity("acme", "gala", 5);
  OrderRequest three = request("key-1");
  three.quantity = 3;
  create(three);
  three.idempotency_key = "key-2";
  try {
    create(three);
    ADD_FAILURE() << "3 more of 5 seats were sold after 3";
  } catch (const SoldOut& e) {
    EXPECT_EQ(e.left(), 2);
    EXPECT_THAT(e.what(), HasSubstr("has only 2 left, not the 3 ordered; order at most 2"));
  }
  EXPECT_EQ(taken(), 3);
}

TEST_F(OrdersTest, CapacityFollowsTheSiteAndTakenStays) {
  create(request("key-1", "42", "gala", 2500, 2));
  create(request("key-2", "43", "gala", 2500, 2));
  EXPECT_THROW(create(request("key-3", "44", "gala", 2500, 2)), SoldOut);

  orders_->set_capacity("acme", "gala", 3);  // the site raised it
  create(request("key-3", "44"));
  orders_->set_capacity("acme", "gala", 1);  // lowered below what is taken: nobody loses a seat
  EXPECT_EQ(taken(), 3);
  EXPECT_THROW(create(request("key-4", "45")), SoldOut);
  orders_->set_capacity("acme", "gala", std::nullopt);  // unlimited
  for (int i = 0; i < 5; ++i) create(request("more-" + std::to_string(i)));
  EXPECT_EQ(taken(), 8);

  orders_->set_capacity("acme", "workshop", 0);  // before any order
  EXPECT_THROW(create(request("w-1", "42", "workshop", 900, std::nullopt)), SoldOut)
      << "the stock row's capacity, not the request's, decides once the row exists";
  EXPECT_THROW(orders_->set_capacity("acme", "workshop", -1), MoneyError);
}

TEST_F(OrdersTest, RefusesBadRequestsAndWritesNothing) {
  auto refusal = [&](const std::string& tenant, const OrderRequest& bad) -> std::string {
    try {
      orders_->create(tenant, bad, kNoon);
    } catch (const OrderConflict&) {
      return "conflict";
    } catch (const SoldOut&) {
      return "sold out";
    } catch (const MoneyError& e) {
      return e.what();
    }
    return "created";
  };
  OrderRequest none = request("key-1");
  none.quantity = 0;
  OrderRequest bad_provider = request("key-1");
  bad_provider.provider = "Sandbox Pay";
  OrderRequest huge = request("key-1", "42", "gala", std::int64_t{1} << 62);
  huge.quantity = 4;

  EXPECT_THAT(refusal("acme", none), HasSubstr("has the quantity 0; order 1 or more"));
  EXPECT_THAT(refusal("acme", request("key-1", "42", "gala", 0)),
              HasSubstr("an order needs a positive price"));
  EXPECT_THAT(refusal("acme", bad_provider), HasSubstr("'Sandbox Pay'"));
  EXPECT_THAT(refusal("acme", request("")), HasSubstr("needs an idempotency key"));
  EXPECT_THAT(refusal("acme", request("key-1", "")), HasSubstr("needs an account id"));
  EXPECT_THAT(refusal("acme", request("key-1", "42", "")), HasSubstr("needs an offer id"));
  EXPECT_THAT(refusal("acme", request("key-1", "42", "gala", 2500, -1)),
              HasSubstr("capacity -1; use 0 or more"));
  EXPECT_THAT(refusal("acme", huge), HasSubstr("overflows 64 bits"));
  EXPECT_THAT(refusal("", request("key-1")), HasSubstr("needs a tenant"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_orders"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_offer_stock"), 0);
}

TEST_F(OrdersTest, OrdersOfAnAccountNewestFirst) {
  const Order first = create(request("key-1"), kNoon);
  const Order second = create(request("key-2", "42", "picnic"), kNoon + 1h);
  create(request("key-3", "43"), kNoon + 2h);
  std::vector<std::string> ids;
  for (const Order& order : orders_->orders_of("acme", "42")) ids.push_back(order.id);
  EXPECT_THAT(ids, ElementsAre(second.id, first.id));
  EXPECT_THAT(orders_->orders_of("globex", "42"), IsEmpty());
  EXPECT_FALSE(orders_->find("acme", "no-such-order").has_value());
}

TEST_F(OrdersTest, CheckStockFindsTakenThatOrdersDoNotExplain) {
  create(request("key-1"));
  create(request("key-2", "42", "picnic"));
  run_raw("UPDATE tribe_offer_stock SET taken = 5 WHERE offer_id = 'gala'");
  run_raw("DELETE FROM tribe_offer_stock WHERE offer_id = 'picnic'");
  EXPECT_THAT(orders_->check_stock("acme"),
              ElementsAre("offer 'gala' of tenant 'acme': taken is 5 but its pending, paid and "
                          "fulfilled orders hold 1",
                          "offer 'picnic' of tenant 'acme' has orders holding capacity but no "
                          "stock row"));
  // Put right, so the fixture's own check passes.
  run_raw("UPDATE tribe_offer_stock SET taken = 1 WHERE offer_id = 'gala'");
  run_raw("DELETE FROM tribe_orders WHERE offer_id = 'picnic'");
}

class CouponTest : public MoneyTest {
 protected:
  static OrderRequest with_coupon(const std::string& key, std::int64_t coupon = 500) {
    OrderRequest wanted = request(key);
    wanted.coupon = coupon;
    return wanted;
  }
};

TEST_F(CouponTest, AReferralCouponIsTakenOffOneOrderOfTheOffer) {
  const Order first = create(with_coupon("key-1"));
  EXPECT_EQ(first.amount, Amount(2000, "EUR"));
  EXPECT_EQ(first.coupon, 500);
  EXPECT_EQ(orders_->find("acme", first.id)->coupon, 500);
  // While the first is reserved, another order of the offer pays the full price...
  const Order second = create(with_coupon("key-2"));
  EXPECT_EQ(second.amount, Amount(2500, "EUR"));
  EXPECT_EQ(second.coupon, 0);
  // ...and of another offer, or by another buyer, the coupon is theirs to use.
  OrderRequest other_offer = with_coupon("key-3");
  other_offer.offer.offer_id = "workshop";
  EXPECT_EQ(create(other_offer).coupon, 500);
  OrderRequest other_buyer = with_coupon("key-4");
  other_buyer.account_id = "43";
  EXPECT_EQ(create(other_buyer).coupon, 500);
  EXPECT_EQ(orders_->create("globex", with_coupon("key-1"), kNoon).order.coupon, 500);
}

TEST_F(CouponTest, AnExpiredOrderGivesItsCouponBack) {
  const Order first = create(with_coupon("key-1"));
  EXPECT_EQ(create(with_coupon("key-2"), kNoon + 14min).coupon, 0);
  // Past the reservation the first order no longer holds the coupon, marked expired or not.
  EXPECT_EQ(create(with_coupon("key-3"), kNoon + 15min).coupon, 500);
  EXPECT_EQ(state_of(first.id), OrderState::Pending);
}

TEST_F(CouponTest, ACouponOrderRetriedIsTheSameOrder) {
  const Order first = create(with_coupon("key-1"));
  // The retry would not get the coupon now (the first holds it), yet it is the same request.
  const auto again = orders_->create("acme", with_coupon("key-1"), kNoon + 1min);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.order.id, first.id);
  EXPECT_EQ(again.order.amount, Amount(2000, "EUR"));
  OrderRequest dearer = with_coupon("key-1");
  dearer.offer.price = Amount(2600, "EUR");
  EXPECT_THAT(refusal([&] { create(dearer); }),
              HasSubstr("price 2500 EUR (this request: 2600 EUR)"));
}

TEST_F(CouponTest, RacingOrdersOfOneBuyerUseTheCouponOnce) {
  std::mutex mutex;
  std::vector<Order> made;
  auto failures = run_together(20, [&](int attempt) {
    Order order = create(with_coupon("key-" + std::to_string(attempt)));
    std::lock_guard lock(mutex);
    made.push_back(order);
  });
  EXPECT_THAT(failures, IsEmpty());
  ASSERT_EQ(made.size(), 20u);
  const auto with =
      std::count_if(made.begin(), made.end(), [](const Order& order) { return order.coupon > 0; });
  EXPECT_EQ(with, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_orders WHERE coupon > 0"), 1);
}

TEST_F(CouponTest, ACouponMustLeaveSomethingToPay) {
  EXPECT_THAT(refusal([&] { create(with_coupon("key-1", 2500)); }),
              HasSubstr("must take off 0 or more and leave something to pay"));
  EXPECT_THAT(refusal([&] { create(with_coupon("key-2", -1)); }),
              HasSubstr("must take off 0 or more"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM tribe_orders"), 0);
}

}  // namespace
}  // namespace tribe::kernel::money::testing
