// Accounts, passwords, sessions and log-in throttling on the backend this executable links
// (SQLite files or a real PostgreSQL server). Each argon2 hash or check costs tens of
// milliseconds, so the tests use few of them and reach the throttle directly where they can.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <regex>

#include "kernel/identity/accounts.hpp"
#include "kernel/identity/identity_schema.hpp"
#include "kernel/identity/password.hpp"
#include "kernel/identity/sessions.hpp"
#include "kernel/identity/throttle.hpp"
#include "kernel/identity/token.hpp"
#include "kernel/store/tests/test_database.hpp"

namespace tribe::kernel::identity {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Outcome = LoginResult::Outcome;

const std::chrono::system_clock::time_point t0{std::chrono::seconds(1'800'000'000)};
const std::string kPassword = "analytical engine";

bool is_base64url(const std::string& text) {
  static const std::regex alphabet("[A-Za-z0-9_-]+");
  return std::regex_match(text, alphabet);
}

template <typename Action>
std::string refusal(Action action) {
  try {
    action();
  } catch (const IdentityError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(IdentityPasswordTest, HashIsArgon2idWithChosenCostSaltedAndVerifies) {
  const std::string hash = hash_password(kPassword);
  EXPECT_THAT(hash, StartsWith("$argon2id$v=19$m=19456,t=2,"));
  EXPECT_TRUE(verify_password(hash, kPassword));
  EXPECT_FALSE(verify_password(hash, "analytical enginE"));
  EXPECT_NE(hash_password(kPassword), hash);
  EXPECT_FALSE(verify_password("not a hash", kPassword));
}

TEST(IdentityTokenTest, RandomTokensAreUrlSafeUnpaddedAndDistinct) {
  const std::string token = random_token();
  EXPECT_EQ(token.size(), 43u);  // 256 bits
  EXPECT_TRUE(is_base64url(token)) << token;
  EXPECT_NE(random_token(), token);
  EXPECT_EQ(random_token(16).size(), 22u);
}

TEST(IdentityTokenTest, DigestIsSha256Hex) {
  EXPECT_EQ(token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = store::testing::fresh_database_url();
    database_ = store::Database::open(url_, 4);
    accounts_ = std::make_unique<AccountBook>(*database_);
    EXPECT_EQ(accounts_->migrate(), static_cast<int>(identity_migrations().size()));
    sessions_ = std::make_unique<SessionBook>(*database_);
    throttle_ = std::make_unique<LoginThrottle>(*database_);
  }

  void TearDown() override {
    throttle_.reset();
    sessions_.reset();
    accounts_.reset();
    database_.reset();
    store::testing::discard_database(url_);
  }

  Account sign_up_ada(const std::string& tenant = "acme") {
    return accounts_->sign_up(tenant, "ada@example.org", "Ada", kPassword);
  }

  std::vector<std::string> texts(const std::string& sql) {
    std::vector<std::string> result;
    std::string text;
    soci::session session(database_->pool());
    soci::statement rows = (session.prepare << sql, soci::into(text));
    rows.execute();
    while (rows.fetch()) result.push_back(text);
    return result;
  }

  long long rows_in(const std::string& table) {
    long long count = 0;
    soci::session session(database_->pool());
    session << "SELECT COUNT(*) FROM " + table, soci::into(count);
    return count;
  }

  std::string url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<AccountBook> accounts_;
  std::unique_ptr<SessionBook> sessions_;
  std::unique_ptr<LoginThrottle> throttle_;
};

TEST_F(IdentityTest, SignUpNormalisesEmailAndDefaultsDisplayName) {
  const Account ada = accounts_->sign_up("acme", "  Ada.Lovelace@Example.ORG ", "", kPassword);
  EXPECT_EQ(ada.email, "ada.lovelace@example.org");
  EXPECT_EQ(ada.display_name, "ada.lovelace");
  EXPECT_EQ(ada.id.size(), 22u);
  EXPECT_FALSE(ada.created_at.empty());

  const auto found = accounts_->find("acme", ada.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->email, ada.email);
  EXPECT_EQ(found->created_at, ada.created_at);
  const auto by_email = accounts_->find_by_email("acme", " ADA.LOVELACE@example.org");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, ada.id);
  EXPECT_FALSE(accounts_->find("globex", ada.id));
  EXPECT_FALSE(accounts_->find_by_email("globex", ada.email));
  EXPECT_THAT(texts("SELECT password_hash FROM tribe_accounts"),
              ::testing::ElementsAre(StartsWith("$argon2id$")));
}

TEST_F(IdentityTest, SignUpRefusesBadFieldsAndStoresNothing) {
  for (const std::string email : {"ada", "ada@", "@example.org", "ada@example", "ada@example.",
                                  "ada lovelace@example.org", "ada@@example.org"}) {
    EXPECT_THAT(refusal([&] { accounts_->sign_up("acme", email, "Ada", kPassword); }),
                HasSubstr("is not an email address; type one like"))
        << email;
  }
  EXPECT_THAT(refusal([&] { accounts_->sign_up("acme", "ada@example.org", "Ada", "seven77"); }),
              HasSubstr("the password must have at least 8 characters"));
  EXPECT_THAT(refusal([&] {
                accounts_->sign_up("acme", "ada@example.org", "Ada", std::string(1025, 'x'));
              }),
              HasSubstr("at most 1024"));
  EXPECT_THAT(refusal([&] {
                accounts_->sign_up("acme", "ada@example.org", std::string(81, 'a'), kPassword);
              }),
              HasSubstr("the display name must have 1 to 80 characters"));
  EXPECT_THAT(refusal([&] { accounts_->sign_up("acme", "ada@example.org", "Ada\nB", kPassword); }),
              HasSubstr("control characters"));
  EXPECT_EQ(rows_in("tribe_accounts"), 0);
}

TEST_F(IdentityTest, EmailIsUniquePerTenantOnly) {
  std::string eighty_characters;
  for (int i = 0; i < 80; ++i) eighty_characters += "\xC3\xA9";  // é, two bytes
  const Account acme = accounts_->sign_up("acme", "ada@example.org", eighty_characters, kPassword);
  EXPECT_EQ(acme.display_name, eighty_characters);

  EXPECT_EQ(refusal([&] { accounts_->sign_up("acme", " ADA@example.org", "Ada", kPassword); }),
            "an account with this email already exists on this site; log in instead");
  const Account globex = sign_up_ada("globex");
  EXPECT_NE(globex.id, acme.id);
  EXPECT_EQ(accounts_->find_by_email("globex", "ada@example.org")->display_name, "Ada");
  EXPECT_EQ(rows_in("tribe_accounts"), 2);
}

TEST_F(IdentityTest, LogInSucceedsAndFailuresDoNotSayWhichFieldWasWrong) {
  const Account ada = sign_up_ada();
  const LoginResult success = accounts_->log_in("acme", "Ada@Example.org ", kPassword, "", t0);
  EXPECT_EQ(success.outcome, Outcome::LoggedIn);
  ASSERT_TRUE(success.account);
  EXPECT_EQ(success.account->id, ada.id);

  const LoginResult wrong_password =
      accounts_->log_in("acme", "ada@example.org", "difference engine", "", t0);
  const LoginResult unknown_email = accounts_->log_in("acme", "bob@example.org", kPassword, "", t0);
  const LoginResult other_tenant =
      accounts_->log_in("globex", "ada@example.org", kPassword, "", t0);
  for (const auto& failure : {wrong_password, unknown_email, other_tenant}) {
    EXPECT_EQ(failure.outcome, Outcome::WrongCredentials);
    EXPECT_FALSE(failure.account);
    EXPECT_EQ(failure.message, "the email or the password is wrong; check both and try again");
  }
}

TEST_F(IdentityTest, ThrottlesAnAccountAfterFiveFailuresUntilTheWindowFrees) {
  sign_up_ada();
  for (int i = 0; i < 5; ++i) {
    const auto at = t0 + std::chrono::minutes(i);
    const std::string address = "198.51.100." + std::to_string(i);
    EXPECT_EQ(accounts_->log_in("acme", "ada@example.org", "wrong guess", address, at).outcome,
              Outcome::WrongCredentials);
  }
  // The right password changes nothing while throttled; the oldest failure leaves at t0 + 15 min.
  const LoginResult throttled =
      accounts_->log_in("acme", "ada@example.org", kPassword, "198.51.100.99", t0 + 5min);
  EXPECT_EQ(throttled.outcome, Outcome::Throttled);
  EXPECT_FALSE(throttled.account);
  EXPECT_EQ(throttled.retry_after, 10min);
  EXPECT_EQ(throttled.message, "too many failed log-ins for this account; try again in 10 minutes");
  const LoginResult last_second =
      accounts_->log_in("acme", "ada@example.org", kPassword, "198.51.100.99", t0 + 15min - 1s);
  EXPECT_EQ(last_second.retry_after, 1s);
  EXPECT_THAT(last_second.message, HasSubstr("try again in 1 minute"));
  EXPECT_FALSE(throttle_->refusal("acme", "bob@example.org", "198.51.100.99", t0 + 5min));

  EXPECT_EQ(
      accounts_->log_in("acme", "ada@example.org", kPassword, "198.51.100.99", t0 + 15min).outcome,
      Outcome::LoggedIn);
  // Success forgot the four failures still inside the window: four more do not throttle, a fifth
  // does.
  for (int i = 0; i < 4; ++i) {
    throttle_->record_failure("acme", "ada@example.org", "198.51.100.99", t0 + 15min);
  }
  EXPECT_FALSE(throttle_->refusal("acme", "ada@example.org", "198.51.100.99", t0 + 15min));
  throttle_->record_failure("acme", "ada@example.org", "198.51.100.99", t0 + 15min);
  EXPECT_TRUE(throttle_->refusal("acme", "ada@example.org", "198.51.100.99", t0 + 15min));
}

TEST_F(IdentityTest, ThrottlesAnAddressAfterTwentyFailures) {
  const std::string address = "203.0.113.9";
  for (int i = 0; i < 19; ++i) {
    throttle_->record_failure("acme", "guess" + std::to_string(i) + "@example.org", address, t0);
  }
  EXPECT_EQ(accounts_->log_in("acme", "guess19@example.org", kPassword, address, t0 + 1min).outcome,
            Outcome::WrongCredentials);
  const LoginResult throttled =
      accounts_->log_in("acme", "carol@example.org", kPassword, address, t0 + 2min);
  EXPECT_EQ(throttled.outcome, Outcome::Throttled);
  EXPECT_EQ(throttled.retry_after, 13min);
  EXPECT_EQ(throttled.message,
            "too many failed log-ins from your network address; try again in 13 minutes");

  EXPECT_FALSE(throttle_->refusal("acme", "carol@example.org", "203.0.113.10", t0 + 2min));
  EXPECT_FALSE(throttle_->refusal("globex", "carol@example.org", address, t0 + 2min));
  // At t0 + 15 min the 19 failures of t0 have left the window; one remains.
  EXPECT_FALSE(throttle_->refusal("acme", "carol@example.org", address, t0 + 15min));
}

TEST_F(IdentityTest, ThrottleWindowSlidesAndIgnoresUnknownAddresses) {
  LoginThrottle strict(*database_, 2, 2, 60s);
  strict.record_failure("acme", "ada@example.org", "", t0);
  strict.record_failure("acme", "ada@example.org", "", t0 + 30s);
  EXPECT_EQ(strict.refusal("acme", "ada@example.org", "", t0 + 40s)->retry_after, 20s);
  EXPECT_FALSE(strict.refusal("acme", "ada@example.org", "", t0 + 60s));
  strict.record_failure("acme", "ada@example.org", "", t0 + 61s);
  EXPECT_EQ(strict.refusal("acme", "ada@example.org", "", t0 + 61s)->retry_after, 29s);
  // No address was known, so none was counted (not even the empty one).
  EXPECT_THAT(texts("SELECT DISTINCT subject FROM tribe_login_failures"),
              ::testing::ElementsAre("account:ada@example.org"));
}

TEST_F(IdentityTest, SessionsResolveUntilEndedOrExpired) {
  const std::string token = sessions_->start("acme", "account-1", t0);
  EXPECT_GE(token.size(), 43u);
  EXPECT_TRUE(is_base64url(token)) << token;

  const auto session = sessions_->resolve("acme", token, t0 + 1h);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->account_id, "account-1");
  EXPECT_EQ(session->expires_at, t0 + std::chrono::hours(24 * 30));
  EXPECT_TRUE(sessions_->resolve("acme", token, session->expires_at - 1s));
  EXPECT_FALSE(sessions_->resolve("acme", token, session->expires_at));
  EXPECT_FALSE(sessions_->resolve("acme", "not-a-token", t0));

  sessions_->end("acme", token);
  EXPECT_FALSE(sessions_->resolve("acme", token, t0 + 1h));
}

TEST_F(IdentityTest, SessionTokenResolvesOnlyOnItsTenant) {
  const std::string token = sessions_->start("acme", "account-1", t0);
  EXPECT_FALSE(sessions_->resolve("globex", token, t0));
  sessions_->end("globex", token);
  sessions_->end_all("globex", "account-1");
  EXPECT_TRUE(sessions_->resolve("acme", token, t0));
}

TEST_F(IdentityTest, OnlyTheTokenDigestIsStored) {
  const std::string token = sessions_->start("acme", "account-1", t0);
  EXPECT_THAT(texts("SELECT token_digest FROM tribe_sessions"),
              ::testing::ElementsAre(token_digest(token)));
  for (const std::string column : {"tenant_id", "token_digest", "account_id"}) {
    EXPECT_THAT(texts("SELECT " + column + " FROM tribe_sessions"),
                ::testing::Not(::testing::Contains(HasSubstr(token))))
        << column;
  }
}

TEST_F(IdentityTest, EndAllEndsEverySessionOfOneAccountOnOneTenant) {
  const std::string first = sessions_->start("acme", "account-1", t0);
  const std::string second = sessions_->start("acme", "account-1", t0 + 1min);
  const std::string other_account = sessions_->start("acme", "account-2", t0);
  const std::string other_tenant = sessions_->start("globex", "account-1", t0);

  sessions_->end_all("acme", "account-1");
  EXPECT_FALSE(sessions_->resolve("acme", first, t0 + 2min));
  EXPECT_FALSE(sessions_->resolve("acme", second, t0 + 2min));
  EXPECT_TRUE(sessions_->resolve("acme", other_account, t0 + 2min));
  EXPECT_TRUE(sessions_->resolve("globex", other_tenant, t0 + 2min));
}

TEST_F(IdentityTest, StartingASessionForgetsTheAccountsExpiredOnes) {
  SessionBook short_lived(*database_, 1h);
  short_lived.start("acme", "account-1", t0);
  short_lived.start("acme", "account-2", t0);
  short_lived.start("acme", "account-1", t0 + 1h);
  EXPECT_EQ(rows_in("tribe_sessions"), 2);
}

TEST_F(IdentityTest, ChangePasswordNeedsTheCurrentOne) {
  const Account ada = sign_up_ada();
  EXPECT_THROW(accounts_->change_password("acme", ada.id, "not my password", "difference engine"),
               WrongPassword);
  EXPECT_THAT(refusal([&] { accounts_->change_password("acme", ada.id, kPassword, "short"); }),
              HasSubstr("at least 8 characters"));
  EXPECT_THAT(refusal([&] {
                accounts_->change_password("globex", ada.id, kPassword, "difference engine");
              }),
              HasSubstr("there is no account"));

  accounts_->change_password("acme", ada.id, kPassword, "difference engine");
  EXPECT_EQ(accounts_->log_in("acme", "ada@example.org", "difference engine", "", t0).outcome,
            Outcome::LoggedIn);
  EXPECT_EQ(accounts_->log_in("acme", "ada@example.org", kPassword, "", t0).outcome,
            Outcome::WrongCredentials);
}

TEST_F(IdentityTest, MigrateIsIdempotent) {
  EXPECT_EQ(accounts_->migrate(), 0);
}

}  // namespace
}  // namespace tribe::kernel::identity
