#pragma once
#include <iosfwd>
#include <mutex>
#include <string>

#include "tribe/sdk/log.hpp"

namespace tribe::kernel::instance {

// Log lines to one stream, prefixed with who is speaking ("plugin=interest site=x request_id=y").
class KernelLogger : public sdk::Logger {
 public:
  KernelLogger(std::ostream& out, std::string prefix);
  void info(std::string_view message) override { write("info", message); }
  void warn(std::string_view message) override { write("warn", message); }
  void error(std::string_view message) override { write("error", message); }

 private:
  void write(std::string_view level, std::string_view message);
  std::ostream& out_;
  std::string prefix_;
};

class SystemClock : public sdk::Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace tribe::kernel::instance
