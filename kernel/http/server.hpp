#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "tribe/sdk/http.hpp"

namespace tribe::kernel::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port (tests)
  // Poco serves each keep-alive connection on one thread for its whole life, and its default
  // pool has 16: the 17th idle keep-alive client would wait. Size the pool for the clients.
  int max_threads = 512;
  int max_queued = 1024;
  std::chrono::seconds keep_alive_timeout{15};
  std::chrono::seconds shutdown_grace{10};  // how long stop() waits for requests in flight
  std::size_t max_body_bytes = 1024 * 1024;
  // Peers (reverse proxies) whose X-Forwarded-For and X-Forwarded-Proto are believed: they decide
  // the client address (login throttling) and whether cookies get the Secure flag.
  std::vector<std::string> trusted_proxies;
  std::ostream* access_log = nullptr;  // one line per request; nullptr: none
  std::ostream* error_log = nullptr;   // handler failures with their request id; nullptr: stderr
};

// What the server calls for every request. `request.path` is the full URL path; the application
// may rewrite it (and `base`) when it routes into a site. Exceptions are the server's to contain.
class Application {
 public:
  virtual ~Application() = default;
  virtual sdk::Response handle(sdk::Request& request, const std::string& host) = 0;
};

class Server {
 public:
  Server(ServerOptions options, Application& application);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start();
  // Stops accepting, lets requests in flight finish, closes idle keep-alive connections.
  void stop();
  std::uint16_t port() const;

  struct Impl;  // public so the Poco handler classes in server.cpp can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tribe::kernel::http
