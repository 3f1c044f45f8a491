#include "site_walk.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tribe::testing {
namespace {

constexpr const char* kCheckout = "/checkout/";

}  // namespace

sdk::Json get_json(HttpVisitor& browser, const std::string& path) {
  const HttpReply reply = browser.get(path);
  EXPECT_EQ(reply.status, 200) << path << ": " << reply.body;
  return sdk::Json::parse(reply.body, nullptr, false);
}

std::string buy_through_sandbox(HttpVisitor& browser, const std::string& buy_path,
                                const std::string& key) {
  const HttpReply ordered = browser.post_form(buy_path, {{"idempotency_key", key}});
  EXPECT_EQ(ordered.status, 303) << buy_path << ": " << ordered.body;
  EXPECT_THAT(ordered.location, ::testing::StartsWith(kCheckout)) << buy_path;
  EXPECT_EQ(browser.get(ordered.location).status, 200) << "the checkout page " << ordered.location;
  const HttpReply paid = browser.post_form(ordered.location + "/pay", {});
  EXPECT_EQ(paid.status, 303) << ordered.location << "/pay: " << paid.body;
  if (ordered.location.rfind(kCheckout, 0) != 0) return "";
  return ordered.location.substr(std::string(kCheckout).size());
}

std::string order_state(HttpVisitor& browser, const std::string& order_id) {
  return get_json(browser, "/api/orders/" + order_id).value("state", "");
}

}  // namespace tribe::testing
