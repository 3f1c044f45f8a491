#include "tests/support/postgres_server.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace tribe::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDatabase = "tribe_test";
constexpr const char* kServerUser = "postgres";
constexpr const char* kDebianBinDir = "/usr/lib/postgresql/15/bin";

struct CommandResult {
  int exit_code = 0;
  std::string output;  // stdout and stderr
};

CommandResult run(const std::string& program, const std::vector<std::string>& args,
                  const fs::path& directory) {
  Poco::Pipe output;
  Poco::ProcessHandle process =
      Poco::Process::launch(program, args, directory.string(), nullptr, &output, &output);
  Poco::PipeInputStream stream(output);
  CommandResult result;
  Poco::StreamCopier::copyToString(stream, result.output);
  result.exit_code = process.wait();
  return result;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

fs::path find_bin_dir() {
  if (fs::exists(fs::path(kDebianBinDir) / "initdb")) return kDebianBinDir;
  try {
    const CommandResult pg_config = run("pg_config", {"--bindir"}, fs::temp_directory_path());
    const fs::path dir = trimmed(pg_config.output);
    if (pg_config.exit_code == 0 && fs::exists(dir / "initdb") && fs::exists(dir / "pg_ctl")) {
      return dir;
    }
  } catch (const std::exception&) {
    // pg_config is not installed either; reported below.
  }
  throw std::runtime_error(
      std::string("PostgreSQL server binaries (initdb, pg_ctl) not found in ") + kDebianBinDir +
      " nor in `pg_config --bindir`; install postgresql-15 to run the postgres tests");
}

bool running_as_root() {
  return geteuid() == 0;
}

// PostgreSQL refuses to run as root, so under root the server commands run as `postgres`.
CommandResult run_server_command(const fs::path& program, const std::vector<std::string>& args,
                                 const fs::path& directory) {
  if (!running_as_root()) return run(program.string(), args, directory);
  std::vector<std::string> wrapped = {"-u", kServerUser, "--", program.string()};
  wrapped.insert(wrapped.end(), args.begin(), args.end());
  return run("runuser", wrapped, directory);
}

void give_to_server_user(const fs::path& folder) {
  if (!running_as_root()) return;
  const passwd* user = getpwnam(kServerUser);
  if (user == nullptr) {
    throw std::runtime_error(
        std::string("tests run as root, and PostgreSQL refuses root, but there "
                    "is no '") +
        kServerUser + "' user to run it as; install postgresql-15");
  }
  if (chown(folder.c_str(), user->pw_uid, user->pw_gid) != 0) {
    throw std::runtime_error("cannot chown " + folder.string() + " to " + kServerUser);
  }
}

fs::path make_temp_folder() {
  std::string pattern = (fs::temp_directory_path() / "tribe-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary folder for PostgreSQL in " +
                             fs::temp_directory_path().string());
  }
  return pattern;
}

// The kernel hands out a port nobody listens on; the server binds it a moment later.
int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("cannot open a socket to find a free port");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  if (!ok) throw std::runtime_error("cannot find a free loopback port");
  return ntohs(address.sin_port);
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void check(const CommandResult& result, const std::string& what) {
  if (result.exit_code != 0) {
    throw std::runtime_error(what + " failed (exit code " + std::to_string(result.exit_code) +
                             "):\n" + result.output);
  }
}

}  // namespace

PostgresServer::PostgresServer() : bin_dir_(find_bin_dir()), root_(make_temp_folder()) {
  try {
    give_to_server_user(root_);
    start();
  } catch (...) {
    stop();
    std::error_code ignored;
    fs::remove_all(root_, ignored);
    throw;
  }
}

PostgresServer::~PostgresServer() {
  stop();
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

void PostgresServer::start() {
  const fs::path data = root_ / "data";
  check(run_server_command(bin_dir_ / "initdb",
                           {"-D", data.string(), "--auth=trust", "-U", kServerUser, "-E", "UTF8",
                            "--locale=C", "--no-sync"},
                           root_),
        "initdb");
  port_ = free_loopback_port();
  const std::string options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port_) +
                              " -c unix_socket_directories=" + root_.string() +
                              " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  const fs::path log = root_ / "server.log";
  const CommandResult started = run_server_command(
      bin_dir_ / "pg_ctl",
      {"-D", data.string(), "-l", log.string(), "-w", "-t", "60", "-o", options, "start"}, root_);
  if (started.exit_code != 0) {
    throw std::runtime_error("pg_ctl start failed:\n" + started.output + "\nserver log:\n" +
                             read_file(log));
  }
  running_ = true;
  check(run((bin_dir_ / "createdb").string(),
            {"-h", "127.0.0.1", "-p", std::to_string(port_), "-U", kServerUser, kDatabase}, root_),
        "createdb");
  url_ = "postgresql://" + std::string(kServerUser) + "@127.0.0.1:" + std::to_string(port_) + "/" +
         kDatabase;
}

void PostgresServer::stop() noexcept {
  if (!running_) return;
  try {
    run_server_command(bin_dir_ / "pg_ctl",
                       {"-D", (root_ / "data").string(), "-m", "immediate", "-w", "stop"}, root_);
  } catch (...) {
    // Nothing more to do in a destructor; the temp folder is removed anyway.
  }
  running_ = false;
}

}  // namespace tribe::test
