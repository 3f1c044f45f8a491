// The Tribe-Signature scheme, against an HMAC computed independently (Python's hmac module).
#include "kernel/money/webhook_signature.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tribe::kernel::money {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

constexpr std::string_view kSecret = "whsec_test";
constexpr std::string_view kBody = R"({"id":"evt_1","type":"payment.succeeded"})";
constexpr std::int64_t kSentAt = 1'700'000'000;
const Clock::time_point kSent = Clock::time_point(std::chrono::seconds(kSentAt));
// python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test",
//   b"1700000000.{\"id\":\"evt_1\",\"type\":\"payment.succeeded\"}", hashlib.sha256).hexdigest())'
constexpr std::string_view kExpectedMac =
    "3d34f860ecc2c5fc3978518b0564a6649bd191eb2caa286ec3976e3bc9929d7d";

SignatureCheck check(std::string_view header, std::string_view body = kBody,
                     Clock::time_point now = kSent) {
  return verify_webhook(kSecret, header, body, now);
}

TEST(WebhookSignature, SignsLikeThePublishedScheme) {
  EXPECT_EQ(sign_webhook(kSecret, kSentAt, kBody), "t=1700000000,v1=" + std::string(kExpectedMac));
}

TEST(WebhookSignature, AcceptsItsOwnSignatureWithinTolerance) {
  const std::string header = sign_webhook(kSecret, kSentAt, kBody);
  EXPECT_EQ(check(header), SignatureCheck::Valid);
  EXPECT_EQ(check(header, kBody, kSent + 300s), SignatureCheck::Valid);
  EXPECT_EQ(check(header, kBody, kSent - 300s), SignatureCheck::Valid);
  EXPECT_EQ(check("t=1700000000, v1=" + std::string(kExpectedMac)), SignatureCheck::Valid);
}

TEST(WebhookSignature, TamperedBodyOrWrongSecretMismatch) {
  const std::string header = sign_webhook(kSecret, kSentAt, kBody);
  EXPECT_EQ(check(header, R"({"id":"evt_1","type":"payment.succeeded" })"),
            SignatureCheck::Mismatch);
  EXPECT_EQ(check(header, ""), SignatureCheck::Mismatch);
  EXPECT_EQ(check(sign_webhook("whsec_other", kSentAt, kBody)), SignatureCheck::Mismatch);
  // The time is signed too: moving t breaks the signature.
  EXPECT_EQ(check("t=1700000001,v1=" + std::string(kExpectedMac)), SignatureCheck::Mismatch);
}

TEST(WebhookSignature, OldOrFutureTimestampsAreStale) {
  const std::string header = sign_webhook(kSecret, kSentAt, kBody);
  EXPECT_EQ(check(header, kBody, kSent + 301s), SignatureCheck::Stale);
  EXPECT_EQ(check(header, kBody, kSent - 301s), SignatureCheck::Stale);  // signed in the future
  EXPECT_EQ(verify_webhook(kSecret, header, kBody, kSent + 60s, 30s), SignatureCheck::Stale);
}

TEST(WebhookSignature, MalformedHeadersAreRefused) {
  const std::string mac(kExpectedMac);
  for (const std::string& header :
       {std::string(), std::string("garbage"), "v1=" + mac, std::string("t=1700000000"),
        "t=abc,v1=" + mac, "t=-5,v1=" + mac, "t=1700000000,v1=" + mac.substr(2),
        "t=1700000000,v1=zz" + mac.substr(2), "t=1700000000,t=1700000000,v1=" + mac,
        "t=1700000000;v1=" + mac}) {
    EXPECT_EQ(check(header), SignatureCheck::Malformed) << header;
  }
}

TEST(WebhookSignature, AnyOfSeveralSignaturesMayMatch) {
  const std::string current = sign_webhook(kSecret, kSentAt, kBody);
  const std::string previous = sign_webhook("whsec_previous", kSentAt, kBody);
  const std::string previous_mac = previous.substr(previous.find("v1="));
  const std::string current_mac = current.substr(current.find("v1="));
  EXPECT_EQ(check("t=1700000000," + previous_mac + "," + current_mac), SignatureCheck::Valid);
  EXPECT_EQ(check("t=1700000000," + current_mac + "," + previous_mac), SignatureCheck::Valid);
  EXPECT_EQ(check("t=1700000000," + previous_mac + ",v0=ignored"), SignatureCheck::Mismatch);
  EXPECT_EQ(check("t=1700000000," + current_mac + ",v0=ignored"), SignatureCheck::Valid);
}

TEST(WebhookSignature, DescriptionsSayWhatToDo) {
  EXPECT_THAT(describe(SignatureCheck::Valid), HasSubstr("valid"));
  EXPECT_THAT(describe(SignatureCheck::Malformed), HasSubstr("t=<unix seconds>,v1="));
  EXPECT_THAT(describe(SignatureCheck::Mismatch), HasSubstr("secret"));
  EXPECT_THAT(describe(SignatureCheck::Stale), HasSubstr("clock"));
}

}  // namespace
}  // namespace tribe::kernel::money
