#pragma once
#include <stdexcept>

namespace tribe::kernel::identity {

// A request the identity service refuses; the message tells the user what to change.
class IdentityError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The current password given to change_password is not the account's.
class WrongPassword : public IdentityError {
 public:
  using IdentityError::IdentityError;
};

}  // namespace tribe::kernel::identity
