#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/config/diagnostic.hpp"
#include "kernel/config/offers.hpp"
#include "kernel/config/tags.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/registry.hpp"
#include "tribe/sdk/schema.hpp"

namespace tribe::kernel::config {

// One site (tenant) as its YAML file declares it, validated.
struct SiteConfig {
  std::filesystem::path file;
  std::string id;  // [a-z0-9-]+, also the /s/<id>/ prefix
  std::string name;
  std::string type;    // a community type some plugin provides
  std::string locale;  // "zh-CN" (default) or "en"
  std::string description;
  std::vector<std::string> hosts;  // lower case, without port
  sdk::Json theme = sdk::Json::object();
  std::vector<std::string> admins;  // e-mail addresses, lower case
  std::vector<sdk::Offer> offers;
  std::map<std::string, OfferSale> offer_sales;    // offer id -> who may order it, and where
  std::map<std::string, JointOffer> joint_offers;  // offer id -> the partner site's part
  TagVocabulary tags;                              // the tags members choose for themselves
  PaymentsConfig payments;
  LadderConfig ladder;
  ReferralConfig referral;
  // Plugin name -> its validated section. A plugin is enabled on the site when it provides the
  // site's type or when the site has its section.
  std::map<std::string, sdk::Json> sections;

  // The offer with this id, or nullptr when the site does not sell it.
  const sdk::Offer* offer(std::string_view offer_id) const;
};

// What the loaded plugins add to the site schema.
struct SiteSchemaInputs {
  std::vector<std::string> community_types;
  std::map<std::string, sdk::Schema> plugin_sections;  // plugin name -> schema of its section
  // Plugin name -> what its schema cannot check in its section (Registry::set_section_check).
  std::map<std::string, sdk::SectionCheck> section_checks;
};

class SiteLoader {
 public:
  // Throws std::invalid_argument when a plugin section would take a kernel key (e.g. "theme").
  explicit SiteLoader(SiteSchemaInputs inputs);

  // The kernel's part of the site schema with the plugins' sections added.
  const sdk::Schema& schema() const { return schema_; }

  // Validates one file; every problem is appended to `out`; nullopt if there was any.
  std::optional<SiteConfig> load(const std::filesystem::path& file, Diagnostics& out) const;

  // Every *.yaml / *.yml in `dir`, in name order. Files with problems are left out (their
  // diagnostics appended); so is a second site with an id or host already taken.
  std::vector<SiteConfig> load_directory(const std::filesystem::path& dir, Diagnostics& out) const;

 private:
  struct LoadedSite;  // a SiteConfig with the positions load_directory reports clashes at
  std::optional<LoadedSite> load_site(const std::filesystem::path& file, Diagnostics& out) const;

  SiteSchemaInputs inputs_;
  sdk::Schema schema_;
};

}  // namespace tribe::kernel::config
