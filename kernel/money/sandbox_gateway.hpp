#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "tribe/sdk/json.hpp"

namespace tribe::kernel::money {

// The built-in `sandbox` payment provider's gateway side: what a real gateway does once the buyer
// has paid, done on this machine. It signs the event with the site's secret exactly as
// docs/money.md describes and POSTs it over HTTP to the site's webhook, so the site takes the same
// path (verify, deduplicate, apply once) as for a real provider.
class SandboxGateway {
 public:
  // Where this instance's HTTP server listens; set once it does (0: not listening, deliver fails).
  void listen_at(std::uint16_t port) { port_ = port; }

  // POSTs `event` to `webhook_path` on the local server with `host` as the Host header. Returns
  // the HTTP status the site answered; throws std::runtime_error when it cannot be reached.
  int deliver(const std::string& host, const std::string& webhook_path, const std::string& secret,
              const sdk::Json& event) const;

 private:
  std::atomic<std::uint16_t> port_{0};
};

}  // namespace tribe::kernel::money
