#include "kernel/instance/kernel_logger.hpp"

#include <ostream>

namespace tribe::kernel::instance {
namespace {
std::mutex log_mutex;  // one per process: every logger writes whole lines to the same streams
}

KernelLogger::KernelLogger(std::ostream& out, std::string prefix)
    : out_(out), prefix_(std::move(prefix)) {}

void KernelLogger::write(std::string_view level, std::string_view message) {
  std::lock_guard lock(log_mutex);
  out_ << level << ' ' << prefix_ << ": " << message << std::endl;
}

}  // namespace tribe::kernel::instance
