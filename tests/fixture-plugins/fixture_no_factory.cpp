// A manifest and nothing else: the host must refuse it for want of a factory.
#include <boost/config.hpp>

#include "tribe/sdk/manifest.hpp"

extern "C" BOOST_SYMBOL_EXPORT const tribe::sdk::Manifest tribe_manifest_v1;
extern "C" const tribe::sdk::Manifest tribe_manifest_v1 = {
    "fixture_no_factory",          "1.0.0", tribe::sdk::kAbiMajor,
    tribe::sdk::kAbiMinor,         "",      TRIBE_SDK_ABI_TAG,
    "A manifest without a factory"};
