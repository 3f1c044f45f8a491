#include "kernel/config/did_you_mean.hpp"

#include <gtest/gtest.h>

namespace tribe::kernel::config {
namespace {

TEST(EditDistance, CountsEachSlipOnce) {
  EXPECT_EQ(edit_distance("title", "title"), 0u);
  EXPECT_EQ(edit_distance("titel", "title"), 1u);  // swap
  EXPECT_EQ(edit_distance("nmae", "name"), 1u);    // swap
  EXPECT_EQ(edit_distance("tile", "title"), 1u);   // missing letter
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(DidYouMean, SuggestsTheClosestKnownWord) {
  EXPECT_EQ(did_you_mean("titel", {"slug", "title", "tags"}), "title");
  EXPECT_EQ(did_you_mean("descriptoin", {"name", "description"}), "description");
  EXPECT_EQ(did_you_mean("hots", {"hosts", "host"}), "hosts");  // first of equally close
}

TEST(DidYouMean, StaysSilentWhenNothingIsClose) {
  EXPECT_EQ(did_you_mean("zzz", {"a", "b", "c"}), std::nullopt);
  EXPECT_EQ(did_you_mean("xy", {"id"}), std::nullopt);
  EXPECT_EQ(did_you_mean("colour", {}), std::nullopt);
}

}  // namespace
}  // namespace tribe::kernel::config
