#pragma once
// A fresh database of the backend this executable links, with the money tables, an order book, a
// payment book and the ledger; after each test the ledger must balance and the stock must agree
// with the orders.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "kernel/money/ledger.hpp"
#include "kernel/money/money_migrations.hpp"
#include "kernel/money/orders.hpp"
#include "kernel/money/payments.hpp"
#include "kernel/store/tests/test_database.hpp"

namespace tribe::kernel::money::testing {

using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

// A fixed "now": tests move time by adding to it, never by waiting.
inline const Clock::time_point kNoon = Clock::time_point(std::chrono::seconds(1'800'000'000));

// Account -> balance in minor units.
using Balances = std::map<std::string, std::int64_t>;

class MoneyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = store::testing::fresh_database_url();
    database_ = store::Database::open(url_, 8);
    ledger_ = std::make_unique<Ledger>(*database_);
    orders_ = std::make_unique<OrderBook>(*database_, 15min);
    payments_ = std::make_unique<PaymentBook>(*database_, *orders_);
    EXPECT_EQ(orders_->migrate(), static_cast<int>(money_migrations().size()));
    EXPECT_EQ(ledger_->migrate(), 0);  // one schema: whichever migrates first creates it all
  }

  void TearDown() override {
    LedgerCheck check = ledger_->check();
    for (const auto& problem : check.problems) ADD_FAILURE() << problem.to_string();
    for (const char* tenant : {"acme", "globex"}) {
      for (const auto& problem : orders_->check_stock(tenant)) ADD_FAILURE() << problem;
    }
    payments_.reset();
    orders_.reset();
    ledger_.reset();
    database_.reset();
    store::testing::discard_database(url_);
  }

  static OrderRequest request(const std::string& key, const std::string& account = "42",
                              const std::string& offer = "gala", std::int64_t price = 2500,
                              std::optional<std::int64_t> capacity = 100) {
    return {key, account, {offer, Amount(price, "EUR"), capacity}, 1, "sandbox", ""};
  }

  Order create(const OrderRequest& order_request, Clock::time_point now = kNoon) {
    return orders_->create("acme", order_request, now).order;
  }

  OrderState state_of(const std::string& order_id) {
    auto order = orders_->find("acme", order_id);
    return order ? order->state : throw std::runtime_error("no order " + order_id);
  }

  long long count(const std::string& sql) {
    long long value = 0;
    soci::session session(database_->pool());
    session << sql, soci::into(value);
    return value;
  }

  long long transfers(const std::string& like = "%") {
    return count("SELECT COUNT(*) FROM tribe_ledger_transfers WHERE transfer_id LIKE '" + like +
                 "'");
  }

  // Every non-zero balance of the tenant, EUR.
  Balances balances(const std::string& tenant = "acme") {
    Balances result;
    for (const auto& balance : ledger_->balances(tenant)) {
      EXPECT_EQ(balance.amount.currency(), "EUR") << balance.account;
      if (balance.amount.minor_units() != 0) {
        result[balance.account] = balance.amount.minor_units();
      }
    }
    return result;
  }

  // What a call refused with (its MoneyError's message), or "accepted".
  std::string refusal(const std::function<void()>& call) {
    try {
      call();
    } catch (const MoneyError& e) {
      return e.what();
    }
    return "accepted";
  }

  long long taken(const std::string& offer = "gala") {
    return count("SELECT taken FROM tribe_offer_stock WHERE tenant_id = 'acme' AND offer_id = '" +
                 offer + "'");
  }

  // Writes past the money service, as corruption or a careless tool would.
  void run_raw(const std::string& sql) {
    soci::session session(database_->pool());
    session << sql;
  }

  std::string url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<OrderBook> orders_;
  std::unique_ptr<PaymentBook> payments_;
};

}  // namespace tribe::kernel::money::testing
