// The SDK's did-you-mean, which the kernel's YAML errors and plugins' section checks share.
#include "tribe/sdk/did_you_mean.hpp"

#include <gtest/gtest.h>

namespace tribe::sdk {
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

TEST(UnknownName, SaysWhatIsMissingAndSuggests) {
  EXPECT_EQ(unknown_name("offer", "cohort-l", "on this site", {"cohort-1", "partner"}),
            "no offer 'cohort-l' on this site; did you mean 'cohort-1'?");
  EXPECT_EQ(unknown_name("KOL", "zzz", "in interest.kols", {"a-mei"}),
            "no KOL 'zzz' in interest.kols");
}

}  // namespace
}  // namespace tribe::sdk
