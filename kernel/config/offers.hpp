#pragma once
// What a site sells, how it is paid and who runs it: the `offers`, `payments` and `admins` keys
// of its YAML. Offers are the SDK's plain sdk::Offer, which plugins see too.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/config/diagnostic.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/offer.hpp"
#include "tribe/sdk/schema.hpp"

namespace tribe::kernel::config {

struct PaymentsConfig {
  std::string provider = "sandbox";  // "sandbox" or "manual"
  std::string secret;                // the webhook signing secret (resolved from secret_env)
};

// Which purchases move a person up the customer ladder (visitor -> fan -> member -> partner). A
// sign-up makes a fan.
struct LadderConfig {
  std::vector<std::string> member_offers;   // buying one makes a member
  std::vector<std::string> partner_offers;  // buying one makes a partner
};

// How partners are credited for the people they bring (the `referral` key).
struct ReferralConfig {
  int window_days = 30;               // a sign-up within this long of the partner link counts
  std::string after_window = "keep";  // a refund after the refund window: "keep" or "claw_back"
};

// Who may order an offer, where and at what price, beside sdk::Offer (whose layout plugins of ABI
// 3.x were built against): the offer's `requires_tags`, `sold_by` and `referral_coupon`.
struct OfferSale {
  std::vector<std::string> requires_tags;  // the buyer must hold every one
  bool plugin_only = false;                // `sold_by: plugin`: only the plugin's flows order it
  std::int64_t referral_coupon = 0;  // minor units off a referred member's first order; 0: none
};

// A joint offer (the offer's `joint` key): one payment on this site also grants `grants` on a
// partner site of the instance, which gets `share_basis_points` of the price in its ledger.
struct JointOffer {
  std::string site;  // the partner site's id
  std::vector<std::string> grants;
  int share_basis_points = 0;  // 4000 = 40%
};

// The schema of each key; the site schema includes them.
sdk::Schema offers_schema();
sdk::Schema payments_schema();
sdk::Schema admins_schema();
sdk::Schema ladder_schema();
sdk::Schema referral_schema();

// The rules a schema cannot express, checked on a document that passed the schema. Each reads the
// YAML (for positions) and the validated JSON, appends problems, and returns what it accepted.
std::vector<sdk::Offer> read_offers(const YAML::Node& root, const sdk::Json& site,
                                    const std::string& file, Diagnostics& out);
// Offer id -> its OfferSale, for the offers with `requires_tags`, `sold_by: plugin` or
// `referral_coupon`.
std::map<std::string, OfferSale> read_offer_sales(const YAML::Node& root, const sdk::Json& site,
                                                  const std::string& file, Diagnostics& out);
// Offer id -> its JointOffer, for the offers with `joint`. Whether the partner site exists is
// known only with every site loaded (SiteLoader::load_directory checks it).
std::map<std::string, JointOffer> read_joint_offers(const YAML::Node& root, const sdk::Json& site,
                                                    const std::string& file, Diagnostics& out);
PaymentsConfig read_payments(const YAML::Node& root, const sdk::Json& site, const std::string& file,
                             Diagnostics& out);
// Without a `ladder` key: the offers granting "member" make members, none makes partners.
LadderConfig read_ladder(const YAML::Node& root, const sdk::Json& site,
                         const std::vector<sdk::Offer>& offers, const std::string& file,
                         Diagnostics& out);
ReferralConfig read_referral(const YAML::Node& root, const sdk::Json& site, const std::string& file,
                             Diagnostics& out);
std::vector<std::string> read_admins(const YAML::Node& root, const sdk::Json& site,
                                     const std::string& file, Diagnostics& out);

// "10%" -> 1000, "2.5%" -> 250; nullopt unless 0-100 with at most two decimals.
std::optional<int> percent_to_basis_points(const std::string& text);
// Whether `text` is an ISO 8601 date duration: P[nY][nM][nW][nD], at least one part.
bool is_date_duration(const std::string& text);

}  // namespace tribe::kernel::config
