// The ledger on the backend this executable links (SQLite files or a real PostgreSQL server).
#include "kernel/money/ledger.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>

#include "kernel/money/tests/run_together.hpp"
#include "kernel/store/tests/test_database.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::money {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Transfer payment(const std::string& id, std::int64_t cents, const std::string& member = "42") {
  return {id,
          "payment",
          "membership",
          {{"member:" + member + ":cash", Amount(cents, "EUR")},
           {"site:revenue", Amount(-cents, "EUR")}}};
}

using testing::run_together;

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = store::testing::fresh_database_url();
    database_ = store::Database::open(url_, 8);
    ledger_ = std::make_unique<Ledger>(*database_);
    ledger_->migrate();
  }

  void TearDown() override {
    ledger_.reset();
    database_.reset();
    store::testing::discard_database(url_);
  }

  long long rows_in(const std::string& table) {
    long long count = 0;
    soci::session session(database_->pool());
    session << "SELECT COUNT(*) FROM " + table, soci::into(count);
    return count;
  }

  // Writes past the ledger, as corruption or a careless tool would.
  void run_raw(const std::string& sql) {
    soci::session session(database_->pool());
    session << sql;
  }

  std::string url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerTest, BalancedTransferPostsAndBalancesDerive) {
  TransferResult result = ledger_->post("acme", payment("pay-1", 1500));
  EXPECT_FALSE(result.already_posted);
  EXPECT_FALSE(result.created_at.empty());
  ledger_->post("acme", {"fx-1",
                         "exchange",
                         "",
                         {{"site:revenue", Amount(200, "EUR")},
                          {"escrow:order-7", Amount(-200, "EUR")},
                          {"escrow:order-7", Amount(30000, "JPY")},
                          {"refunds:pending", Amount(-30000, "JPY")}}});

  EXPECT_EQ(ledger_->balance("acme", "member:42:cash", "EUR"), 1500);
  EXPECT_EQ(ledger_->balance("acme", "site:revenue", "EUR"), -1300);
  EXPECT_EQ(ledger_->balance("acme", "site:revenue", "JPY"), 0);
  EXPECT_EQ(ledger_->balance("acme", "member:7:cash", "EUR"), 0);
  std::vector<std::string> shown;
  for (const auto& balance : ledger_->balances("acme")) {
    shown.push_back(balance.account + " " + std::to_string(balance.amount.minor_units()) + " " +
                    balance.amount.currency());
  }
  EXPECT_THAT(shown, ElementsAre("escrow:order-7 -200 EUR", "escrow:order-7 30000 JPY",
                                 "member:42:cash 1500 EUR", "refunds:pending -30000 JPY",
                                 "site:revenue -1300 EUR"));
  LedgerCheck check = ledger_->check();
  EXPECT_TRUE(check.balanced());
  EXPECT_EQ(check.transfers, 2u);
  EXPECT_EQ(check.tenants, 1u);
}

TEST_F(LedgerTest, RefusesBadTransfersAndWritesNothing) {
  Transfer unbalanced = payment("bad-1", 100);
  unbalanced.entries[1].amount = Amount(-99, "EUR");
  Transfer single = payment("bad-2", 100);
  single.entries.pop_back();
  Transfer zero = payment("bad-3", 100);
  zero.entries.push_back({"commissions:held", Amount(0, "EUR")});
  Transfer mixed = payment("bad-4", 100);
  mixed.entries[1].amount = Amount(-100, "USD");
  Transfer no_id = payment("", 100);
  Transfer no_kind = payment("bad-5", 100);
  no_kind.kind.clear();

  auto refusal = [&](const Transfer& transfer) -> std::string {
    try {
      ledger_->post("acme", transfer);
    } catch (const LedgerError& e) {
      return e.what();
    }
    return "posted";
  };
  EXPECT_THAT(refusal(unbalanced), HasSubstr("the EUR entries sum to 1, not 0"));
  EXPECT_THAT(refusal(single), HasSubstr("at least two"));
  EXPECT_THAT(refusal(zero), HasSubstr("'commissions:held' is zero"));
  EXPECT_THAT(refusal(mixed), HasSubstr("the EUR entries sum to 100, not 0"));
  EXPECT_THAT(refusal(no_id), HasSubstr("needs an id"));
  EXPECT_THAT(refusal(no_kind), HasSubstr("needs a kind"));
  for (std::string account : {"revenue", "Site:revenue", "site:", ":revenue", "site:rev enue"}) {
    Transfer bad_account = payment("bad-6", 100);
    bad_account.entries[1].account = account;
    EXPECT_THAT(refusal(bad_account), HasSubstr("is not an account name")) << account;
  }
  EXPECT_THROW(ledger_->post("", payment("bad-7", 100)), LedgerError);

  EXPECT_EQ(rows_in("tribe_ledger_transfers"), 0);
  EXPECT_EQ(rows_in("tribe_ledger_entries"), 0);
}

TEST_F(LedgerTest, CurrencyIsThreeUpperCaseLetters) {
  for (std::string code : {"eur", "EURO", "EU", "E1R", ""}) {
    EXPECT_THROW(Amount(100, code), MoneyError) << code;
  }
  EXPECT_EQ(Amount(100, "JPY").currency(), "JPY");
}

TEST_F(LedgerTest, RepostingTheSameTransferReturnsTheStoredOne) {
  TransferResult first = ledger_->post("acme", payment("pay-1", 1500));
  TransferResult again = ledger_->post("acme", payment("pay-1", 1500));
  EXPECT_TRUE(again.already_posted);
  EXPECT_EQ(again.created_at, first.created_at);
  EXPECT_EQ(again.transfer.entries, payment("pay-1", 1500).entries);
  EXPECT_EQ(rows_in("tribe_ledger_transfers"), 1);
  EXPECT_EQ(ledger_->balance("acme", "site:revenue", "EUR"), -1500);
}

TEST_F(LedgerTest, RepostingAnIdWithOtherContentConflicts) {
  ledger_->post("acme", payment("pay-1", 1500));
  Transfer other_memo = payment("pay-1", 1500);
  other_memo.memo = "donation";
  try {
    ledger_->post("acme", payment("pay-1", 1600));
    ADD_FAILURE() << "a different amount under the same id was accepted";
  } catch (const LedgerConflict& e) {
    EXPECT_THAT(e.what(), HasSubstr("transfer 'pay-1' of tenant 'acme' was posted"));
  }
  EXPECT_THROW(ledger_->post("acme", other_memo), LedgerConflict);
  EXPECT_EQ(ledger_->balance("acme", "site:revenue", "EUR"), -1500);
}

TEST_F(LedgerTest, ConcurrentPostsOfOneIdWriteOneTransfer) {
  std::atomic<int> first_posts{0};
  auto failures = run_together(8, [&](int) {
    if (!ledger_->post("acme", payment("pay-1", 1500)).already_posted) ++first_posts;
  });
  EXPECT_THAT(failures, ElementsAre());
  EXPECT_EQ(first_posts, 1);
  EXPECT_EQ(rows_in("tribe_ledger_transfers"), 1);
  EXPECT_EQ(rows_in("tribe_ledger_entries"), 2);
  EXPECT_EQ(ledger_->balance("acme", "member:42:cash", "EUR"), 1500);
}

TEST_F(LedgerTest, ConcurrentDistinctTransfersAddUpExactly) {
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  auto failures = run_together(kThreads, [&](int t) {
    for (int i = 1; i <= kEach; ++i) {
      ledger_->post(
          "acme", payment("t" + std::to_string(t) + "-" + std::to_string(i), i, std::to_string(t)));
    }
  });
  EXPECT_THAT(failures, ElementsAre());
  constexpr std::int64_t kPerThread = kEach * (kEach + 1) / 2;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(ledger_->balance("acme", "member:" + std::to_string(t) + ":cash", "EUR"), kPerThread);
  }
  EXPECT_EQ(ledger_->balance("acme", "site:revenue", "EUR"), -kThreads * kPerThread);
  LedgerCheck check = ledger_->check();
  EXPECT_TRUE(check.balanced());
  EXPECT_EQ(check.transfers, static_cast<std::size_t>(kThreads * kEach));
}

TEST_F(LedgerTest, PostInARolledBackTransactionLeavesNothing) {
  soci::session session(database_->pool());
  {
    store::WriteTransaction transaction(*database_, session);
    EXPECT_FALSE(ledger_->post_in(session, "acme", payment("pay-1", 1500)).already_posted);
    session << "INSERT INTO tribe_ledger_transfers (tenant_id, transfer_id, kind, memo, created_at)"
               " VALUES ('acme', 'caller-row', 'x', '', '2026-01-01T00:00:00Z')";
    EXPECT_EQ(ledger_->balance("acme", "site:revenue", "EUR"), 0) << "visible before commit";
  }  // not committed
  EXPECT_EQ(rows_in("tribe_ledger_transfers"), 0);
  EXPECT_EQ(rows_in("tribe_ledger_entries"), 0);
  EXPECT_TRUE(ledger_->check().balanced());
}

TEST_F(LedgerTest, PostInCommitsWithTheCallerAndKeepsIdempotency) {
  soci::session session(database_->pool());
  {
    store::WriteTransaction transaction(*database_, session);
    EXPECT_FALSE(ledger_->post_in(session, "acme", payment("pay-1", 1500)).already_posted);
    EXPECT_TRUE(ledger_->post_in(session, "acme", payment("pay-1", 1500)).already_posted);
    EXPECT_THROW(ledger_->post_in(session, "acme", payment("pay-1", 1600)), LedgerConflict);
    EXPECT_THROW(ledger_->post_in(session, "acme", payment("pay-2", 0)), LedgerError);
    transaction.commit();
  }
  EXPECT_TRUE(ledger_->post("acme", payment("pay-1", 1500)).already_posted);
  EXPECT_EQ(rows_in("tribe_ledger_transfers"), 1);
  EXPECT_EQ(ledger_->balance("acme", "site:revenue", "EUR"), -1500);
}

TEST_F(LedgerTest, TenantsAreIsolated) {
  ledger_->post("acme", payment("pay-1", 1500));
  TransferResult other = ledger_->post("globex", payment("pay-1", 900));
  EXPECT_FALSE(other.already_posted);
  EXPECT_EQ(ledger_->balance("acme", "site:revenue", "EUR"), -1500);
  EXPECT_EQ(ledger_->balance("globex", "site:revenue", "EUR"), -900);
  EXPECT_EQ(ledger_->balances("acme").size(), 2u);
  EXPECT_EQ(ledger_->check().tenants, 2u);
}

TEST_F(LedgerTest, CheckNamesTenantAndCurrencyOfAnInjectedImbalance) {
  ledger_->post("acme", payment("pay-1", 1500));
  ledger_->post("globex", payment("pay-1", 900));
  run_raw(
      "INSERT INTO tribe_ledger_entries (tenant_id, transfer_id, line, account, currency, amount)"
      " VALUES ('acme', 'pay-1', 3, 'site:revenue', 'EUR', 7)");

  LedgerCheck check = ledger_->check();
  EXPECT_FALSE(check.balanced());
  std::vector<std::string> problems;
  for (const auto& problem : check.problems) problems.push_back(problem.to_string());
  EXPECT_THAT(problems,
              ElementsAre("tenant 'acme', EUR: debits and credits differ: the entries sum to 7, "
                          "not 0",
                          "tenant 'acme', transfer 'pay-1', EUR: unbalanced: its entries sum to "
                          "7, not 0"));
}

TEST_F(LedgerTest, CheckFindsTransfersWithoutEnoughEntries) {
  run_raw(
      "INSERT INTO tribe_ledger_transfers (tenant_id, transfer_id, kind, memo, created_at)"
      " VALUES ('acme', 'ghost', 'payment', '', '2026-01-01T00:00:00Z')");
  run_raw(
      "INSERT INTO tribe_ledger_entries (tenant_id, transfer_id, line, account, currency, amount)"
      " VALUES ('acme', 'lost', 1, 'site:revenue', 'EUR', 5),"
      " ('acme', 'lost', 2, 'member:1:cash', 'EUR', -5)");

  std::vector<std::string> problems;
  for (const auto& problem : ledger_->check().problems) problems.push_back(problem.to_string());
  EXPECT_THAT(problems,
              ElementsAre("tenant 'acme', transfer 'ghost': has 0 entries; a transfer needs at "
                          "least 2",
                          "tenant 'acme', transfer 'lost': has entries but no transfer record"));
}

}  // namespace
}  // namespace tribe::kernel::money
