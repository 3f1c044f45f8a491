#include "kernel/jobs/backoff.hpp"

#include <gtest/gtest.h>

namespace tribe::kernel::jobs {
namespace {

using std::chrono::seconds;

TEST(Backoff, DoublesFromTheFirstDelayUpToTheMost) {
  EXPECT_EQ(backoff_delay(1, seconds(5), seconds(3600)), seconds(5));
  EXPECT_EQ(backoff_delay(2, seconds(5), seconds(3600)), seconds(10));
  EXPECT_EQ(backoff_delay(4, seconds(5), seconds(3600)), seconds(40));
  EXPECT_EQ(backoff_delay(3, seconds(10), seconds(15)), seconds(15));
}

TEST(Backoff, ALongStreakStaysAtTheMost) {
  EXPECT_EQ(backoff_delay(10'000, seconds(5), seconds(3600)), seconds(3600));
}

}  // namespace
}  // namespace tribe::kernel::jobs
