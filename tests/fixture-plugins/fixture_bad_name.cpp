// A manifest whose name cannot key a site YAML section.
#include "refused_on_manifest.hpp"

TRIBE_FIXTURE_REFUSED_ON_MANIFEST("Fixture Bad Name", tribe::sdk::kAbiMajor, tribe::sdk::kAbiMinor,
                                  TRIBE_SDK_ABI_TAG);
