#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "kernel/money/orders.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::kernel::money {

// The built-in `sandbox` payment provider's gateway side: what a real gateway does once the buyer
// has paid, done on this machine. It signs the event with the site's secret exactly as
// docs/money.md describes and POSTs it over HTTP to the site's webhook, so the site takes the same
// path (verify, deduplicate, apply once) as for a real provider.
// Where a site's webhook endpoint answers on this instance: its Host header and path prefix.
struct SiteAddress {
  std::string host;  // a host name of the site, or "127.0.0.1" with base "/s/<site>"
  std::string base;  // "" or "/s/<site>"
};

class SandboxGateway {
 public:
  // Where this instance's HTTP server listens; set once it does (0: not listening, deliver fails).
  void listen_at(std::uint16_t port) { port_ = port; }

  // POSTs `event` to `webhook_path` on the local server with `host` as the Host header. Returns
  // the HTTP status the site answered; throws std::runtime_error when it cannot be reached.
  int deliver(const std::string& host, const std::string& webhook_path, const std::string& secret,
              const sdk::Json& event) const;

  // The buyer paid (or the payment failed) on the gateway's page: a fresh payment.succeeded (or
  // payment.failed) event for the order, delivered to the site. Returns the site's HTTP status.
  int pay(const Order& order, bool succeeded, const SiteAddress& site,
          const std::string& secret) const;
  // The site asked for the order's refund: refund.succeeded, with the order's one refund event
  // id ("refund:<order>"), so asking twice refunds once.
  int refund(const Order& order, const SiteAddress& site, const std::string& secret) const;

 private:
  std::atomic<std::uint16_t> port_{0};
};

}  // namespace tribe::kernel::money
