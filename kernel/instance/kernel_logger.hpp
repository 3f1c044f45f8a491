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

// The system's time moved by a fixed offset: `tribe serve --clock-offset` rehearses what a site
// does days later (terms ending, refund windows closing) without waiting for them.
class OffsetClock : public sdk::Clock {
 public:
  explicit OffsetClock(std::chrono::system_clock::duration offset) : offset_(offset) {}
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now() + offset_;
  }

 private:
  std::chrono::system_clock::duration offset_;
};

}  // namespace tribe::kernel::instance
