// The benchmark baseline: a bare Poco HTTPServer that answers every request with "hello", tuned
// exactly like kernel/http/server.cpp (pool 8..max_threads+8, backlog 256, keep-alive, unlimited
// requests per connection), so tools/bench/run's ratio measures only Tribe's own work per request.
//
// Usage: bench_poco_hello PORT   (0 picks a free port). Prints the port it listens on (loopback
// only) and serves until SIGTERM or SIGINT.

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>

namespace {

// The values of kernel/http/server.hpp's ServerOptions defaults.
constexpr int max_threads = 512;
constexpr int max_queued = 1024;
constexpr int keep_alive_timeout_seconds = 15;
constexpr int listen_backlog = 256;

class HelloHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& out) override {
    static constexpr char body[] = "hello";
    out.setContentType("text/plain; charset=utf-8");
    out.setContentLength64(sizeof body - 1);
    out.sendBuffer(body, sizeof body - 1);
  }
};

class HelloFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new HelloHandler;
  }
};

Poco::UInt16 parse_port(int argc, char** argv) {
  if (argc != 2) throw std::invalid_argument("usage: bench_poco_hello PORT  (0 picks a free port)");
  const int port = std::stoi(argv[1]);
  if (port < 0 || port > 65535) throw std::invalid_argument("port must be 0..65535");
  return static_cast<Poco::UInt16>(port);
}

// Blocks SIGTERM and SIGINT in every thread (Poco's threads inherit the mask) and waits for one.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Poco::UInt16 port = parse_port(argc, argv);
    const sigset_t stop_signals = block_stop_signals();

    Poco::ThreadPool pool("hello-http", 8, max_threads + 8, 60);
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", port), listen_backlog);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(max_threads);
    params->setMaxQueued(max_queued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(keep_alive_timeout_seconds, 0));
    params->setMaxKeepAliveRequests(0);
    params->setServerName("poco-hello");
    Poco::Net::HTTPServer server(new HelloFactory, pool, socket, params);
    server.start();
    std::cout << server.port() << std::endl;

    int received = 0;
    sigwait(&stop_signals, &received);
    server.stopAll(true);
    pool.joinAll();
    return EXIT_SUCCESS;
  } catch (const std::exception& e) {
    std::cerr << "bench_poco_hello: " << e.what() << '\n';
    return EXIT_FAILURE;
  }
}
