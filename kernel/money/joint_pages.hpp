#pragma once
// The pages of joint offers: the buyer's claims on the selling site (`/joint`, `/api/joint`) and
// the claim page on the partner site (`/joint/{token}`), registered with the checkout pages.
#include <functional>
#include <optional>
#include <string>

#include "kernel/config/offers.hpp"
#include "kernel/money/entitlements.hpp"
#include "kernel/money/joint_offers.hpp"
#include "kernel/money/term.hpp"
#include "tribe/sdk/registry.hpp"

namespace tribe::kernel::money {

// What the partner site grants for a joint offer, read from the selling site's YAML.
struct JointTerms {
  config::JointOffer joint;
  std::optional<Term> term;
  int grace_days = 0;
  std::string title;      // the offer's
  std::string site_name;  // the selling site's
};
using JointTermsOf = std::function<std::optional<JointTerms>(const std::string& site_id,
                                                             const std::string& offer_id)>;

void register_joint_pages(sdk::Registry& registry, JointBook& joints, EntitlementBook& entitlements,
                          JointTermsOf terms_of);

}  // namespace tribe::kernel::money
