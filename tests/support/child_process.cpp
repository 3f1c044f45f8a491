#include "child_process.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace tribe::testing {

CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::filesystem::path& working_dir) {
  Poco::Pipe out_pipe;
  Poco::Pipe err_pipe;
  Poco::ProcessHandle handle =
      Poco::Process::launch(program, args, working_dir.string(), nullptr, &out_pipe, &err_pipe);
  CommandResult result;
  // Drain stderr on a thread so a chatty child never blocks on a full pipe.
  std::thread err_reader([&] {
    Poco::PipeInputStream err(err_pipe);
    Poco::StreamCopier::copyToString(err, result.err);
  });
  Poco::PipeInputStream out(out_pipe);
  Poco::StreamCopier::copyToString(out, result.out);
  err_reader.join();
  result.exit_code = handle.wait();
  return result;
}

std::string tribe_binary() {
  return std::string(TRIBE_BINARY_DIR) + "/bin/tribe";
}

ServedTribe::ServedTribe(std::vector<std::string> args) {
  args.insert(args.begin(), "serve");
  args.push_back("--listen");
  args.push_back("127.0.0.1:0");
  char pattern[] = "/tmp/tribe-serve-err-XXXXXX";
  int fd = mkstemp(pattern);
  if (fd >= 0) close(fd);
  err_file_ = pattern;
  Poco::Pipe out_pipe;
  // stderr goes to a file so that it can be read at any time without blocking the child.
  std::string shell_command = "exec \"$0\" \"$@\" 2>" + err_file_.string();
  std::vector<std::string> shell_args = {"-c", shell_command, tribe_binary()};
  shell_args.insert(shell_args.end(), args.begin(), args.end());
  handle_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
      "/bin/sh", shell_args, std::string(TRIBE_SOURCE_DIR), nullptr, &out_pipe, nullptr));
  running_ = true;
  Poco::PipeInputStream out(out_pipe);
  std::string line;
  std::regex url(R"(serving \d+ site\(s\) on http://127\.0\.0\.1:(\d+))");
  while (std::getline(out, line)) {
    startup_output_ += line + "\n";
    std::smatch match;
    if (std::regex_search(line, match, url))
      port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
    if (line.find("Press Ctrl-C") != std::string::npos) break;
  }
  if (port_ == 0) {
    terminate();
    throw std::runtime_error("tribe serve did not start.\nstdout:\n" + startup_output_ +
                             "\nstderr:\n" + error_output());
  }
  // Keep draining stdout (access log, shutdown lines) so the child never blocks on the pipe.
  std::thread([pipe = out_pipe]() mutable {
    Poco::PipeInputStream rest(pipe);
    std::string ignored;
    Poco::StreamCopier::copyToString(rest, ignored);
  }).detach();
}

ServedTribe::~ServedTribe() {
  if (running_) terminate();
  std::filesystem::remove(err_file_);
}

std::string ServedTribe::error_output() {
  std::ifstream in(err_file_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int ServedTribe::terminate() {
  if (!running_) return -1;
  running_ = false;
  ::kill(handle_->id(), SIGTERM);
  return handle_->wait();
}

int ServedTribe::kill() {
  if (!running_) return -1;
  running_ = false;
  ::kill(handle_->id(), SIGKILL);
  return handle_->wait();
}

}  // namespace tribe::testing
