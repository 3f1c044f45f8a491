#pragma once
// The fixture every end-to-end walk of a demo site builds on: sites/<site>.yaml copied into a
// scratch folder and served by real `tribe serve` processes on one SQLite file there; time moves
// by restarting the server days ahead (--clock-offset), browsers keep their cookies across
// restarts.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "http_client.hpp"
#include "site_walk.hpp"

namespace tribe::testing {

class DemoSiteWalk : public ::testing::Test {
 protected:
  // `site`: the demo site's id, served from sites/<site>.yaml at <site>.localhost.
  explicit DemoSiteWalk(std::string site) : site_(std::move(site)) {}

  void SetUp() override;
  void TearDown() override;

  // The copy of the site's YAML the server reads (a test may edit it before serve()).
  std::filesystem::path site_file() const;
  // That copy's text.
  std::string site_yaml() const;
  // `tribe validate` with every built plugin passes on the shipped site (its copy, unedited).
  void expect_shipped_site_validates() const;
  std::string database_url() const;
  // (Re)starts the server on the same database, `days` ahead of today.
  void serve(int days);
  // The same browser (its cookies) after a restart, which changes the port.
  void follow(HttpVisitor& browser) const { browser.set_port(server_->port()); }
  // A new browser that opens `arrival` (a partner link, say) and signs up.
  HttpVisitor sign_up(const std::string& email, const std::string& arrival = "/");
  static void log_in(HttpVisitor& browser, const std::string& email);
  // The member buys the site's partner offer through the sandbox gateway (POST /api/orders, the
  // checkout page, its pay button) and must then stand at the ladder's "partner" stage; returns
  // their partner link from /api/partner.
  static std::string become_partner(HttpVisitor& browser, const std::string& offer = "partner");
  // Every buyer posts the form at `path` at the same moment, each with its own idempotency key
  // (an oversell race); the replies in the buyers' order.
  static std::vector<HttpReply> buy_at_once(std::vector<HttpVisitor>& buyers,
                                            const std::string& path);
  // The partner's commissions on /api/partner as "19.90 CNY L1 held".
  static std::vector<std::string> commissions(HttpVisitor& partner);
  // Polls (every 100 ms, for at most 20 s) until the partner has exactly `count` commissions,
  // every one payable: the sweep releases each in a transaction of its own, so one payable says
  // nothing of the others. Returns whether they were; the walk asserts the exact list after it.
  static bool await_payable(HttpVisitor& partner, std::size_t count);
  // Buys through the sandbox gateway (buy_through_sandbox) and the JSON of a GET (get_json).
  static std::string pay(HttpVisitor& browser, const std::string& path, const std::string& key) {
    return buy_through_sandbox(browser, path, key);
  }
  static sdk::Json json(HttpVisitor& browser, const std::string& path) {
    return get_json(browser, path);
  }
  // An account's balance in the site's ledger, read from the database file.
  std::int64_t balance(const std::string& account, const std::string& currency = "CNY") const;
  // Stops the server and runs `tribe ledger check` on the database, which must pass.
  void expect_ledger_checks();

  // The counts of GET /api/funnel a walk expects (the plugin's own `steps` and the rates are
  // asserted by the walk on what expect_funnel returns).
  struct FunnelCounts {
    int visits;              // acquire
    int referral_arrivals;   // acquire
    int sign_ups;            // acquire
    int first_purchases;     // convert
    int buyers;              // repurchase
    int repeat_buyers;       // repurchase
    int repeat_purchases;    // repurchase
    int referred_sign_ups;   // refer
    int referred_purchases;  // refer
    sdk::Json ladder;        // members per stage: {"fan": 1, "member": 1, "partner": 2}
  };
  // Reads the funnel as the site's admin over every day a walk covers (yesterday to
  // kFunnelDays ahead; the thinking camp's walk reaches day 31), expects each count (naming the
  // field, with the funnel's JSON), and returns the funnel.
  static sdk::Json expect_funnel(HttpVisitor& admin, const FunnelCounts& expected);
  static constexpr int kFunnelDays = 40;

  std::string site_;
  std::filesystem::path dir_;
  std::unique_ptr<ServedTribe> server_;
};

// "2026-11-23" for `days` from today (UTC, the machine's clock).
std::string utc_date(int days_from_today);

}  // namespace tribe::testing
