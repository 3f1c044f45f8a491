#include "kernel/config/offers.hpp"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

#include "kernel/config/schema_validator.hpp"
#include "kernel/config/tags.hpp"
#include "tribe/sdk/did_you_mean.hpp"

namespace tribe::kernel::config {
namespace {

using sdk::Json;
using sdk::optional;
using sdk::required;
using sdk::Schema;

constexpr int kMaxDays = 3650;

sdk::Schema offer_schema() {
  return Schema::object({
      required("id", Schema::string(), "unique on the site; lower-case letters, digits and '-'"),
      required("kind", Schema::string(), "what is sold: membership, group, course, ticket, ..."),
      required("title", Schema::string()),
      optional("description", Schema::string()),
      required("price", Schema::integer(), "integer minor units of the currency (3650 = 36.50)"),
      required("currency", Schema::string(), "ISO 4217 code, e.g. CNY"),
      optional("capacity", Schema::integer(), "seats or stock; absent: unlimited"),
      optional("term", Schema::string(), "ISO 8601 duration (P1Y, P3M, P30D); absent: one-time"),
      optional("trial_days", Schema::integer()),
      optional("grace_days", Schema::integer()),
      optional("grants", Schema::list_of(Schema::string()), "entitlement keys the buyer gets"),
      optional("refund_window_days", Schema::integer()),
      optional("commission", Schema::list_of(Schema::string()),
               "commission per referral level, e.g. [\"10%\", \"5%\"]"),
      optional("holds", Schema::string().one_of({"deposit", "escrow"}),
               "deposit (given back or forfeited) or escrow (released or given back); absent: "
               "the payment is revenue"),
      optional("forfeit_to", Schema::string(),
               "deposit: the ledger account a forfeited deposit goes to (default site:revenue)"),
      optional("fee", Schema::string(), "escrow: the site's fee on release, e.g. \"5%\""),
      optional("requires_tags", Schema::list_of(Schema::string()),
               "member tags a buyer must hold, e.g. [verified] or [\"city:上海\"]"),
      optional("joint",
               Schema::object({
                   required("site", Schema::string(), "the partner site's id on this instance"),
                   required("grants", Schema::list_of(Schema::string()),
                            "entitlement keys the buyer gets on the partner site"),
                   required("share", Schema::string(),
                            "the partner site's share of the price, e.g. \"40%\""),
               }),
               "a cross-brand bundle: one payment here, entitlements on both sites"),
      optional("referral_coupon", Schema::integer(),
               "minor units off the first order of this offer by a member a partner brought "
               "(2000 = 20.00 off); the partner's link is the coupon"),
      optional("sold_by", Schema::string().one_of({"site", "plugin"}),
               "site (default): the offer pages and POST /api/orders sell it; plugin: only the "
               "plugin's own pages do (an intro fee after both sides accept)"),
  });
}

Diagnostic at(const YAML::Node& node, const std::string& file, std::string path,
              std::string message) {
  return {file, node.Mark().line + 1, node.Mark().column + 1, std::move(path), std::move(message)};
}

bool matches(const std::string& text, const char* pattern) {
  return std::regex_match(text, std::regex(pattern));
}

// The string at `key`, or `fallback` when it is missing or not a string (the schema reported it).
std::string text_or(const Json& json, const char* key, const std::string& fallback) {
  return json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : fallback;
}

// Why `key` cannot name an entitlement, or nullopt when it can.
std::optional<std::string> entitlement_key_problem(const std::string& key) {
  if (matches(key, "[a-z0-9][a-z0-9_.-]{0,62}")) return std::nullopt;
  return "entitlement key '" + key + "' must be lower-case letters, digits, '.', '_' and '-'";
}

// One offer item that passed the schema: the rules between and within its fields.
class OfferRules {
 public:
  OfferRules(const YAML::Node& node, std::string path, const std::string& file, Diagnostics& out)
      : node_(node), path_(std::move(path)), file_(file), out_(out) {}

  sdk::Offer read(const Json& json) {
    sdk::Offer offer;
    offer.id = json["id"].get<std::string>();
    if (!matches(offer.id, "[a-z0-9][a-z0-9-]{0,62}")) {
      report("id", "offer id '" + offer.id + "' must be lower-case letters, digits and '-'");
    }
    offer.kind = json["kind"].get<std::string>();
    offer.title = json["title"].get<std::string>();
    offer.description = json.value("description", "");
    offer.price = json["price"].get<std::int64_t>();
    if (offer.price < 0) report("price", "a price cannot be negative");
    offer.currency = json["currency"].get<std::string>();
    if (!matches(offer.currency, "[A-Z]{3}")) {
      report("currency",
             "'" + offer.currency +
                 "' is not an ISO 4217 currency code (three capital letters, e.g. CNY)");
    }
    if (json.contains("capacity")) {
      offer.capacity = json["capacity"].get<std::int64_t>();
      if (*offer.capacity < 1)
        report("capacity", "capacity must be at least 1; leave it out for no limit");
    }
    if (json.contains("term")) {
      offer.term = json["term"].get<std::string>();
      if (!is_date_duration(*offer.term)) {
        report("term", "'" + *offer.term +
                           "' is not an ISO 8601 duration of years, months, weeks or days "
                           "(P1Y, P6M, P2W, P30D)");
      }
    }
    offer.trial_days = days(json, "trial_days");
    offer.grace_days = days(json, "grace_days");
    offer.refund_window_days = days(json, "refund_window_days");
    if (!offer.term && (offer.trial_days || offer.grace_days)) {
      report(offer.trial_days ? "trial_days" : "grace_days",
             "trial and grace days need a term; add one (e.g. term: P1Y) or remove them");
    }
    offer.grants = grants(json);
    offer.commission_basis_points = commission(json);
    holding(json, offer);
    return offer;
  }

 private:
  int days(const Json& json, const char* key) {
    if (!json.contains(key)) return 0;
    const auto value = json[key].get<std::int64_t>();
    if (value < 0 || value > kMaxDays) {
      report(key, std::string(key) + " must be between 0 and " + std::to_string(kMaxDays));
      return 0;
    }
    return static_cast<int>(value);
  }

  std::vector<std::string> grants(const Json& json) {
    std::vector<std::string> keys;
    if (!json.contains("grants")) return keys;
    for (std::size_t i = 0; i < json["grants"].size(); ++i) {
      const auto key = json["grants"][i].get<std::string>();
      if (auto problem = entitlement_key_problem(key)) {
        report(node_["grants"][i], "grants[" + std::to_string(i) + "]", *problem);
      }
      keys.push_back(key);
    }
    return keys;
  }

  // `holds`, `forfeit_to` and `fee`, each only where it means something.
  void holding(const Json& json, sdk::Offer& offer) {
    offer.holds = json.value("holds", "");  // the schema allows only deposit and escrow
    if (!offer.holds.empty() && offer.term) {
      report("holds", "an offer that holds money is one-time; remove its term");
    }
    if (json.contains("forfeit_to")) {
      offer.forfeit_to = json["forfeit_to"].get<std::string>();
      if (offer.holds != "deposit") report("forfeit_to", "forfeit_to needs holds: deposit");
      if (!matches(offer.forfeit_to, "site:[a-z0-9][a-z0-9_.-]{0,62}")) {
        report("forfeit_to", "'" + offer.forfeit_to +
                                 "' is not a site account; use 'site:<name>', e.g. site:revenue "
                                 "or site:charity");
      }
    }
    if (json.contains("fee")) {
      const auto text = json["fee"].get<std::string>();
      const auto points = percent_to_basis_points(text);
      if (!points) {
        report("fee", "'" + text + "' is not a percentage between 0% and 100% (e.g. \"5%\")");
      } else {
        offer.fee_basis_points = *points;
      }
      if (offer.holds != "escrow") report("fee", "fee needs holds: escrow");
    }
  }

  std::vector<int> commission(const Json& json) {
    std::vector<int> levels;
    if (!json.contains("commission")) return levels;
    const Json& rates = json["commission"];
    int total = 0;
    for (std::size_t i = 0; i < rates.size(); ++i) {
      const auto text = rates[i].get<std::string>();
      const auto points = percent_to_basis_points(text);
      if (!points) {
        report(node_["commission"][i], "commission[" + std::to_string(i) + "]",
               "'" + text + "' is not a percentage between 0% and 100% (e.g. \"10%\", \"2.5%\")");
        continue;
      }
      total += *points;
      levels.push_back(*points);
    }
    if (rates.size() > 2) {
      report("commission",
             "at most two referral levels are paid (found " + std::to_string(rates.size()) + ")");
    }
    if (total > 10000) report("commission", "the commission levels add up to more than 100%");
    return levels;
  }

  void report(const std::string& key, std::string message) {
    report(node_[key], key, std::move(message));
  }
  void report(const YAML::Node& node, const std::string& key, std::string message) {
    out_.push_back(at(node, file_, path_ + "." + key, std::move(message)));
  }

  const YAML::Node& node_;
  std::string path_;
  const std::string& file_;
  Diagnostics& out_;
};

// The offer's `referral_coupon` (0: none): less than its price, so an order still costs something,
// and not on an offer whose payment is held or shared with a partner site, whose amounts follow
// the price.
std::int64_t referral_coupon(const YAML::Node& node, const Json& offer, const std::string& path,
                             const std::string& file, Diagnostics& out) {
  const Json coupon = offer.value("referral_coupon", Json());
  if (!coupon.is_number_integer()) return 0;  // absent, or the schema reported it
  const auto off = coupon.get<std::int64_t>();
  const Json price = offer.value("price", Json());
  auto report = [&](const std::string& message) {
    out.push_back(at(node["referral_coupon"], file, path + ".referral_coupon", message));
  };
  if (off < 1) {
    report("a referral coupon takes at least 1 minor unit off; leave it out for none");
  } else if (price.is_number_integer() && off >= price.get<std::int64_t>()) {
    report("a referral coupon of " + std::to_string(off) + " takes the whole price (" +
           std::to_string(price.get<std::int64_t>()) + ") off; an order must still cost something");
  } else if (!text_or(offer, "holds", "").empty()) {
    report("an offer that holds money cannot have a referral coupon: what is held is the price");
  } else if (offer.contains("joint")) {
    report("a joint offer cannot have a referral coupon: the partner's share is of the price");
  } else {
    return off;
  }
  return 0;
}

}  // namespace

sdk::Schema offers_schema() {
  return Schema::list_of(offer_schema());
}

sdk::Schema payments_schema() {
  return Schema::object({
      optional("provider", Schema::string().one_of({"sandbox", "manual"}),
               "sandbox (default): a local checkout page and signed webhooks; manual: bank "
               "transfer confirmed by a site admin"),
      optional("secret", Schema::string(), "the webhook signing secret"),
      optional("secret_env", Schema::string(),
               "an environment variable holding the signing secret; wins over `secret`"),
  });
}

sdk::Schema admins_schema() {
  return Schema::list_of(Schema::string());
}

sdk::Schema ladder_schema() {
  return Schema::object({
      optional("member", Schema::list_of(Schema::string()),
               "offer ids whose purchase makes a member (default: offers granting 'member')"),
      optional("partner", Schema::list_of(Schema::string()),
               "offer ids whose purchase makes a partner, who earns referral commissions"),
  });
}

sdk::Schema referral_schema() {
  return Schema::object({
      optional("window_days", Schema::integer(),
               "days a partner link counts before the sign-up (default 30)"),
      optional("after_window", Schema::string().one_of({"keep", "claw_back"}),
               "a refund after the refund window: the partner keeps the commission (keep, "
               "default) or it is taken back (claw_back)"),
  });
}

ReferralConfig read_referral(const YAML::Node& root, const Json& site, const std::string& file,
                             Diagnostics& out) {
  ReferralConfig referral;
  const Json section = site.value("referral", Json::object());
  referral.after_window = section.value("after_window", referral.after_window);
  if (section.contains("window_days")) {
    const auto days = section["window_days"].get<std::int64_t>();
    if (days < 1 || days > kMaxDays) {
      out.push_back(at(root["referral"]["window_days"], file, "referral.window_days",
                       "window_days must be between 1 and " + std::to_string(kMaxDays)));
    } else {
      referral.window_days = static_cast<int>(days);
    }
  }
  return referral;
}

LadderConfig read_ladder(const YAML::Node& root, const Json& site,
                         const std::vector<sdk::Offer>& offers, const std::string& file,
                         Diagnostics& out) {
  LadderConfig ladder;
  if (!site.contains("ladder")) {
    for (const auto& offer : offers) {
      if (std::find(offer.grants.begin(), offer.grants.end(), "member") != offer.grants.end()) {
        ladder.member_offers.push_back(offer.id);
      }
    }
    return ladder;
  }
  std::vector<std::string> known;
  for (const auto& offer : offers) known.push_back(offer.id);
  auto read_stage = [&](const char* stage, std::vector<std::string>& into) {
    const Json& ids = site["ladder"].value(stage, Json::array());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto id = ids[i].get<std::string>();
      if (std::find(known.begin(), known.end(), id) == known.end()) {
        out.push_back(at(root["ladder"][stage][i], file,
                         std::string("ladder.") + stage + "[" + std::to_string(i) + "]",
                         sdk::unknown_name("offer", id, "on this site", known)));
        continue;
      }
      into.push_back(id);
    }
  };
  read_stage("member", ladder.member_offers);
  read_stage("partner", ladder.partner_offers);
  return ladder;
}

std::vector<sdk::Offer> read_offers(const YAML::Node& root, const Json& site,
                                    const std::string& file, Diagnostics& out) {
  std::vector<sdk::Offer> offers;
  const YAML::Node items = root["offers"];
  if (!site.contains("offers") || !items.IsSequence()) return offers;
  const Schema schema = offer_schema();
  std::set<std::string> ids;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = "offers[" + std::to_string(i) + "]";
    // The site-wide validation reported this item's shape problems already; check again in
    // isolation only to know whether its fields can be read.
    Diagnostics shape;
    const Json json = validate(items[i], schema, file, path, shape);
    if (!shape.empty()) continue;
    sdk::Offer offer = OfferRules(items[i], path, file, out).read(json);
    if (!ids.insert(offer.id).second) {
      out.push_back(at(items[i]["id"], file, path + ".id",
                       "offer id '" + offer.id + "' is used twice on this site"));
    }
    offers.push_back(std::move(offer));
  }
  return offers;
}

std::map<std::string, OfferSale> read_offer_sales(const YAML::Node& root, const Json& site,
                                                  const std::string& file, Diagnostics& out) {
  std::map<std::string, OfferSale> sales;
  if (!site.contains("offers") || !site["offers"].is_array()) return sales;
  const Json& offers = site["offers"];
  for (std::size_t i = 0; i < offers.size(); ++i) {
    if (!offers[i].is_object()) continue;
    OfferSale sale;
    sale.plugin_only = text_or(offers[i], "sold_by", "site") == "plugin";
    Json tags = offers[i].value("requires_tags", Json::array());
    if (!tags.is_array()) tags = Json::array();  // the schema reported it
    for (std::size_t t = 0; t < tags.size(); ++t) {
      if (!tags[t].is_string()) continue;  // the schema reported it
      const auto tag = tags[t].get<std::string>();
      if (auto problem = tag_problem(tag)) {
        const std::string path =
            "offers[" + std::to_string(i) + "].requires_tags[" + std::to_string(t) + "]";
        out.push_back(at(root["offers"][i]["requires_tags"][t], file, path, *problem));
        continue;
      }
      sale.requires_tags.push_back(tag);
    }
    sale.referral_coupon = referral_coupon(root["offers"][i], offers[i],
                                           "offers[" + std::to_string(i) + "]", file, out);
    if (sale.plugin_only || !sale.requires_tags.empty() || sale.referral_coupon > 0) {
      sales[text_or(offers[i], "id", "")] = std::move(sale);
    }
  }
  return sales;
}

std::map<std::string, JointOffer> read_joint_offers(const YAML::Node& root, const Json& site,
                                                    const std::string& file, Diagnostics& out) {
  std::map<std::string, JointOffer> joints;
  if (!site.contains("offers") || !site["offers"].is_array()) return joints;
  const Json& offers = site["offers"];
  for (std::size_t i = 0; i < offers.size(); ++i) {
    if (!offers[i].is_object() || !offers[i].contains("joint")) continue;
    const Json& json = offers[i]["joint"];
    const YAML::Node node = root["offers"][i]["joint"];
    const std::string path = "offers[" + std::to_string(i) + "].joint";
    // A joint section of the wrong shape was reported by the schema; read only what it accepted.
    if (!json.is_object() || !json.value("site", Json()).is_string() ||
        !json.value("share", Json()).is_string() || !json.value("grants", Json()).is_array()) {
      continue;
    }
    JointOffer joint;
    joint.site = json["site"].get<std::string>();
    if (joint.site == text_or(site, "id", "")) {
      out.push_back(at(node["site"], file, path + ".site",
                       "a joint offer's partner is another site of the instance, not this one"));
    }
    for (std::size_t g = 0; g < json["grants"].size(); ++g) {
      if (!json["grants"][g].is_string()) continue;
      const auto key = json["grants"][g].get<std::string>();
      if (auto problem = entitlement_key_problem(key)) {
        out.push_back(
            at(node["grants"][g], file, path + ".grants[" + std::to_string(g) + "]", *problem));
      }
      joint.grants.push_back(key);
    }
    const auto share = json["share"].get<std::string>();
    if (const auto points = percent_to_basis_points(share); points && *points > 0) {
      joint.share_basis_points = *points;
    } else {
      out.push_back(
          at(node["share"], file, path + ".share",
             "'" + share + "' is not a percentage above 0% and at most 100% (e.g. \"40%\")"));
    }
    if (!text_or(offers[i], "holds", "").empty()) {
      out.push_back(at(node, file, path, "an offer that holds money cannot be a joint offer"));
    }
    joints[text_or(offers[i], "id", "")] = std::move(joint);
  }
  return joints;
}

PaymentsConfig read_payments(const YAML::Node& root, const Json& site, const std::string& file,
                             Diagnostics& out) {
  PaymentsConfig payments;
  const Json section = site.value("payments", Json::object());
  payments.provider = section.value("provider", "sandbox");
  payments.secret = section.value("secret", "");
  if (section.contains("secret_env")) {
    const auto name = section["secret_env"].get<std::string>();
    if (const char* value = std::getenv(name.c_str()); value && *value) {
      payments.secret = value;
    } else if (payments.secret.empty()) {
      out.push_back(
          at(root["payments"]["secret_env"], file, "payments.secret_env",
             "environment variable " + name + " is not set; set it to the webhook signing secret"));
    }
  }
  const bool sells = site.contains("offers") && !site["offers"].empty();
  if (sells && payments.provider == "sandbox" && payments.secret.empty() &&
      !section.contains("secret_env")) {
    const YAML::Node where = root["payments"].IsDefined() ? root["payments"] : root["offers"];
    out.push_back(at(where, file, root["payments"].IsDefined() ? "payments" : "offers",
                     "the sandbox provider signs webhooks: give payments.secret or "
                     "payments.secret_env"));
  }
  return payments;
}

std::vector<std::string> read_admins(const YAML::Node& root, const Json& site,
                                     const std::string& file, Diagnostics& out) {
  std::vector<std::string> admins;
  const YAML::Node items = root["admins"];
  if (!site.contains("admins") || !items.IsSequence()) return admins;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].IsScalar()) continue;
    std::string email = items[i].Scalar();
    for (auto& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!matches(email, "[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
      out.push_back(at(items[i], file, "admins[" + std::to_string(i) + "]",
                       "'" + email + "' is not an email address"));
      continue;
    }
    admins.push_back(email);
  }
  return admins;
}

std::optional<int> percent_to_basis_points(const std::string& text) {
  std::smatch parts;
  if (!std::regex_match(text, parts, std::regex("([0-9]{1,3})(?:\\.([0-9]{1,2}))?%"))) {
    return std::nullopt;
  }
  std::string decimals = parts[2].str();
  decimals.resize(2, '0');
  const int points = std::stoi(parts[1].str()) * 100 + std::stoi(decimals);
  if (points > 10000) return std::nullopt;
  return points;
}

bool is_date_duration(const std::string& text) {
  return text != "P" && matches(text, "P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?");
}

}  // namespace tribe::kernel::config
