#include "kernel/identity/sodium_library.hpp"

#include <sodium.h>

#include <stdexcept>

namespace tribe::kernel::identity {

void require_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      throw std::runtime_error(
          "libsodium could not initialise (no usable random source); check /dev/urandom");
    }
    return true;
  }();
  (void)ready;
}

}  // namespace tribe::kernel::identity
