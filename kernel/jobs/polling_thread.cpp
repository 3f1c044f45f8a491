#include "kernel/jobs/polling_thread.hpp"

#include <ostream>
#include <stdexcept>

namespace tribe::kernel::jobs {

void log_line(std::ostream& log, const char* service, const char* level,
              const std::string& message) {
  log << (std::string(level) + " " + service + ": " + message + "\n") << std::flush;
}

void PollingThread::start(std::chrono::milliseconds poll, std::function<void()> tick,
                          std::ostream& log, std::string service, std::string work) {
  if (running()) throw std::logic_error("the polling thread is already running; stop() it first");
  stopping_ = false;
  thread_ = std::thread(
      [this, poll, tick = std::move(tick), &log, service = std::move(service),
       work = std::move(work)] { loop(poll, [&] { guarded(tick, log, service, work); }); });
}

void PollingThread::guarded(const std::function<void()>& tick, std::ostream& log,
                            const std::string& service, const std::string& work) {
  try {
    tick();
  } catch (const std::exception& e) {
    log_line(log, service.c_str(), "error", work + " failed, trying again: " + e.what());
  } catch (...) {
    log_line(log, service.c_str(), "error",
             work + " failed with an unknown exception, trying again");
  }
}

void PollingThread::stop() {
  if (!running()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PollingThread::loop(std::chrono::milliseconds poll, const std::function<void()>& tick) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    tick();
    lock.lock();
    wake_.wait_for(lock, poll, [this] { return stopping_; });
  }
}

}  // namespace tribe::kernel::jobs
