// Built with another C++ ABI (compiler or standard library).
#include "refused_on_manifest.hpp"

TRIBE_FIXTURE_REFUSED_ON_MANIFEST("fixture_abi_tag", tribe::sdk::kAbiMajor, tribe::sdk::kAbiMinor,
                                  "fixture/other-stdlib");
