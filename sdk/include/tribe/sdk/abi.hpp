#pragma once
// The plugin ABI: what a kernel and a plugin must agree on to share C++ objects.

// The standard library announces its flavour in <version>; without an include first, the tag
// below would depend on what the including file happened to include before.
#include <version>

namespace tribe::sdk {

// Major changes break plugins; a minor adds to the SDK without breaking older plugins.
inline constexpr int kAbiMajor = 3;
inline constexpr int kAbiMinor = 3;

}  // namespace tribe::sdk

// Objects cross the boundary as C++ types (std::string, std::function), so kernel and plugin must
// share the C++ ABI and standard library flavour; the tag names both.
#if defined(_LIBCPP_VERSION)
#define TRIBE_SDK_ABI_TAG "itanium/libc++"
#elif defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define TRIBE_SDK_ABI_TAG "itanium/libstdc++/cxx11"
#else
#define TRIBE_SDK_ABI_TAG "itanium/libstdc++/cxx98"
#endif

// SDK types keep default visibility so plugins built with -fvisibility=hidden share their type
// identity (RTTI, exceptions) with the kernel.
#define TRIBE_SDK_API __attribute__((visibility("default")))
