#pragma once
// Runs work on threads released at once, to race them.
#include <exception>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tribe::kernel::money::testing {

// Runs `work(thread_index)` on `threads` threads released together; returns what they threw.
template <typename Work>
std::vector<std::string> run_together(int threads, Work work) {
  std::latch start(threads);
  std::mutex mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&, t] {
      start.arrive_and_wait();
      try {
        work(t);
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        failures.push_back(e.what());
      }
    });
  }
  for (auto& thread : running) thread.join();
  return failures;
}

}  // namespace tribe::kernel::money::testing
