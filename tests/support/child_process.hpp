#pragma once
#include <Poco/Process.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tribe::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program to completion and captures both streams. Used to test `tribe` as users run it.
CommandResult run_command(
    const std::string& program, const std::vector<std::string>& args,
    const std::filesystem::path& working_dir = std::filesystem::current_path());

// The `tribe` binary of this build.
std::string tribe_binary();

// A `tribe serve` child process on a free loopback port, stopped (SIGTERM) on destruction.
class ServedTribe {
 public:
  // Waits (bounded) until the server prints its URLs; throws with its output if it does not.
  explicit ServedTribe(std::vector<std::string> args);
  ~ServedTribe();

  std::uint16_t port() const { return port_; }
  const std::string& startup_output() const { return startup_output_; }
  // Everything written to stderr so far (refusals, diagnostics, plugin errors).
  std::string error_output();
  // Sends SIGTERM and waits; returns the exit code.
  int terminate();
  // Sends SIGKILL (a crash: no grace, no shutdown code runs) and waits for the process to end;
  // returns what the wait reports.
  int kill();

 private:
  std::unique_ptr<Poco::ProcessHandle> handle_;
  std::filesystem::path err_file_;
  std::uint16_t port_ = 0;
  std::string startup_output_;
  bool running_ = false;
};

}  // namespace tribe::testing
