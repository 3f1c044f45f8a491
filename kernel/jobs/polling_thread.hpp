#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>

namespace tribe::kernel::jobs {

// One line of the background services' log: "<level> <service>: <message>".
void log_line(std::ostream& log, const char* service, const char* level,
              const std::string& message);

// A background thread that calls `tick` every `poll` until stop(). What `tick` throws is logged
// to `log` as "error <service>: <work> failed, trying again: ..." and the loop goes on: a database
// that is briefly away must not end background work for good.
class PollingThread {
 public:
  PollingThread() = default;
  ~PollingThread() { stop(); }
  PollingThread(const PollingThread&) = delete;
  PollingThread& operator=(const PollingThread&) = delete;

  // Throws std::logic_error if already running: two loops would only compete for the same work.
  void start(std::chrono::milliseconds poll, std::function<void()> tick, std::ostream& log,
             std::string service, std::string work);
  // Wakes the thread and joins it; returns at once if it is not running.
  void stop();
  bool running() const { return thread_.joinable(); }

 private:
  void loop(std::chrono::milliseconds poll, const std::function<void()>& tick);
  static void guarded(const std::function<void()>& tick, std::ostream& log,
                      const std::string& service, const std::string& work);

  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace tribe::kernel::jobs
