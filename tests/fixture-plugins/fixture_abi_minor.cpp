// Built for a newer SDK ABI minor than this kernel's.
#include "refused_on_manifest.hpp"

TRIBE_FIXTURE_REFUSED_ON_MANIFEST("fixture_abi_minor", tribe::sdk::kAbiMajor,
                                  tribe::sdk::kAbiMinor + 1, TRIBE_SDK_ABI_TAG);
