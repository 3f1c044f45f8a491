#pragma once
#include <filesystem>
#include <string>

namespace tribe::test {

// A real PostgreSQL 15 server for tests, with one empty database `tribe_test` that trusts
// loopback connections. The constructor throws std::runtime_error saying what is missing when
// the server cannot start; the destructor stops the server and deletes its files.
class PostgresServer {
 public:
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // "postgresql://postgres@127.0.0.1:PORT/tribe_test"
  const std::string& url() const { return url_; }
  int port() const { return port_; }

  // The server shared by the whole test binary, started on first use (not at test discovery)
  // and stopped at exit.
  static PostgresServer& shared();

 private:
  void start();
  void stop() noexcept;

  std::filesystem::path bin_dir_;
  std::filesystem::path root_;  // temp folder: data/, server.log, the Unix socket
  int port_ = 0;
  std::string url_;
  bool running_ = false;
};

}  // namespace tribe::test
