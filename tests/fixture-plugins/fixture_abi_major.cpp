// Built for the next SDK ABI major.
#include "refused_on_manifest.hpp"

TRIBE_FIXTURE_REFUSED_ON_MANIFEST("fixture_abi_major", tribe::sdk::kAbiMajor + 1,
                                  tribe::sdk::kAbiMinor, TRIBE_SDK_ABI_TAG);
