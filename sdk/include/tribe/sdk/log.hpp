#pragma once
#include <chrono>
#include <string_view>

#include "tribe/sdk/abi.hpp"

namespace tribe::sdk {

// Lines are prefixed by the kernel with the plugin, the site and the request id.
class TRIBE_SDK_API Logger {
 public:
  virtual ~Logger() = default;
  virtual void info(std::string_view message) = 0;
  virtual void warn(std::string_view message) = 0;
  virtual void error(std::string_view message) = 0;
};

// Injected so that terms, expiries and schedules can be tested without waiting.
class TRIBE_SDK_API Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

}  // namespace tribe::sdk
