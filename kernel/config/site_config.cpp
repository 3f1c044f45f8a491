#include "kernel/config/site_config.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <stdexcept>

#include "kernel/config/schema_validator.hpp"
#include "kernel/config/section_checks.hpp"
#include "kernel/config/yaml_file.hpp"
#include "tribe/sdk/did_you_mean.hpp"

namespace tribe::kernel::config {

namespace {

using sdk::Json;
using sdk::Schema;

struct Position {
  int line = 1;
  int column = 1;
};

Position position_of(const YAML::Node& node) {
  return {node.Mark().line + 1, node.Mark().column + 1};
}

const std::vector<std::string> kKernelKeys = {
    "id",     "name",   "type",     "description", "locale",   "hosts", "theme",
    "admins", "offers", "payments", "ladder",      "referral", "tags"};

Schema site_schema(const SiteSchemaInputs& inputs) {
  using sdk::optional;
  using sdk::required;
  std::vector<sdk::Field> fields = {
      required("id", Schema::string(), "lower-case letters, digits and '-'; the /s/<id>/ prefix"),
      required("name", Schema::string(), "the site's name as visitors see it"),
      required("type", Schema::string(), "a community type that a loaded plugin provides"),
      optional("description", Schema::string()),
      optional("locale", Schema::string().one_of({"zh-CN", "en"}), "zh-CN (default) or en"),
      optional("hosts", Schema::list_of(Schema::string()), "host names without port or path"),
      optional("theme",
               Schema::object(
                   {optional("accent", Schema::string()), optional("background", Schema::string()),
                    optional("text", Schema::string()), optional("logo", Schema::string())})),
      optional("admins", admins_schema(), "e-mail addresses of the site's admins"),
      optional("tags", tags_schema(),
               "member tags members choose for themselves: group -> values (city: [上海, 北京])"),
      optional("offers", offers_schema(), "what the site sells"),
      optional("payments", payments_schema(), "how the site is paid"),
      optional("ladder", ladder_schema(), "which purchases make members and partners"),
      optional("referral", referral_schema(), "how partners are credited"),
  };
  for (const auto& [plugin, section] : inputs.plugin_sections) {
    if (std::find(kKernelKeys.begin(), kKernelKeys.end(), plugin) != kKernelKeys.end()) {
      throw std::invalid_argument("plugin '" + plugin + "' cannot have a site section: '" + plugin +
                                  "' is a key of the kernel's site schema");
    }
    fields.push_back(optional(plugin, section, "settings of plugin '" + plugin + "'"));
  }
  return Schema::object(std::move(fields));
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The checks the generic schema cannot express, on a document that passed it.
class SiteRules {
 public:
  SiteRules(const YAML::Node& root, const std::string& file, Diagnostics& out)
      : root_(root), file_(file), out_(out) {}

  void check_id(const std::string& id) {
    static const std::regex kId("[a-z0-9][a-z0-9-]{0,62}");
    if (std::regex_match(id, kId)) return;
    std::string message = "site id '" + id + "' must be lower-case letters, digits and '-'";
    if (id.size() > 63) message += ", at most 63 characters";
    if (!id.empty() && id.front() == '-') message += ", starting with a letter or digit";
    report(root_["id"], "id", message);
  }

  void check_type(const std::string& type, const std::vector<std::string>& known) {
    if (std::find(known.begin(), known.end(), type) != known.end()) return;
    std::string message = "unknown community type '" + type + "'; ";
    if (auto close = sdk::did_you_mean(type, known)) {
      message += "did you mean '" + *close + "'?";
    } else {
      message += "no loaded plugin provides it";
    }
    report(root_["type"], "type", message);
  }

  // Returns the hosts lower-cased. Walks the YAML list, not its JSON, so that indices stay right
  // when some item failed the schema.
  std::vector<std::string> check_hosts() {
    std::vector<std::string> result;
    const YAML::Node hosts = root_["hosts"];
    if (!hosts.IsDefined()) return result;
    for (std::size_t i = 0; hosts.IsSequence() && i < hosts.size(); ++i) {
      if (!hosts[i].IsScalar()) continue;
      const std::string host = lower_case(hosts[i].Scalar());
      const std::string path = "hosts[" + std::to_string(i) + "]";
      if (host.empty() || host.find_first_of(":/ ") != std::string::npos) {
        report(hosts[i], path, "host '" + host + "' must be a bare host name without port or path");
      } else if (std::find(result.begin(), result.end(), host) != result.end()) {
        report(hosts[i], path, "host '" + host + "' is listed twice");
      }
      result.push_back(host);
    }
    return result;
  }

 private:
  void report(const YAML::Node& node, const std::string& path, std::string message) {
    const Position at = position_of(node);
    out_.push_back({file_, at.line, at.column, path, std::move(message)});
  }

  const YAML::Node& root_;
  const std::string& file_;
  Diagnostics& out_;
};

std::string string_or(const Json& object, const char* key, std::string fallback) {
  return object.contains(key) ? object[key].get<std::string>() : std::move(fallback);
}

}  // namespace

struct SiteLoader::LoadedSite {
  SiteConfig site;
  Position id;
  std::vector<Position> hosts;
};

SiteLoader::SiteLoader(SiteSchemaInputs inputs)
    : inputs_(std::move(inputs)), schema_(site_schema(inputs_)) {}

std::optional<SiteConfig> SiteLoader::load(const std::filesystem::path& file,
                                           Diagnostics& out) const {
  auto loaded = load_site(file, out);
  if (!loaded) return std::nullopt;
  return std::move(loaded->site);
}

std::optional<SiteLoader::LoadedSite> SiteLoader::load_site(const std::filesystem::path& file,
                                                            Diagnostics& out) const {
  const std::size_t problems_before = out.size();
  const auto document = load_yaml_file(file, out);
  if (!document) return std::nullopt;
  const YAML::Node& root = *document;
  const std::string name = file.string();
  const Json json = validate(root, schema_, name, "", out);
  if (!json.is_object()) return std::nullopt;

  // The kernel's own rules run even when the schema found problems, so one run shows them all.
  SiteRules rules(root, name, out);
  LoadedSite loaded;
  SiteConfig& site = loaded.site;
  site.file = file;
  site.id = string_or(json, "id", "");
  if (json.contains("id")) rules.check_id(site.id);
  site.type = string_or(json, "type", "");
  if (json.contains("type")) rules.check_type(site.type, inputs_.community_types);
  site.hosts = rules.check_hosts();
  for (std::size_t i = 0; i < site.hosts.size(); ++i) {
    loaded.hosts.push_back(position_of(root["hosts"][i]));
  }
  site.admins = read_admins(root, json, name, out);
  site.offers = read_offers(root, json, name, out);
  site.offer_sales = read_offer_sales(root, json, name, out);
  site.joint_offers = read_joint_offers(root, json, name, out);
  site.tags = read_tags(root, json, name, out);
  site.payments = read_payments(root, json, name, out);
  site.ladder = read_ladder(root, json, site.offers, name, out);
  site.referral = read_referral(root, json, name, out);
  check_sections(root, json, site.offers, inputs_.section_checks, name, problems_before, out);
  if (out.size() != problems_before) return std::nullopt;

  loaded.id = position_of(root["id"]);
  site.name = json["name"].get<std::string>();
  site.description = string_or(json, "description", "");
  site.locale = string_or(json, "locale", "zh-CN");
  if (json.contains("theme")) site.theme = json["theme"];
  for (const auto& [plugin, section] : inputs_.plugin_sections) {
    if (json.contains(plugin)) site.sections.emplace(plugin, json[plugin]);
  }
  return loaded;
}

std::vector<SiteConfig> SiteLoader::load_directory(const std::filesystem::path& dir,
                                                   Diagnostics& out) const {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) {
      files.push_back(entry.path());
    }
  }
  if (error) {
    out.push_back({dir.string(), 1, 1, "", "cannot read directory: " + error.message()});
    return {};
  }
  std::sort(files.begin(), files.end());

  std::vector<SiteConfig> sites;
  std::map<std::string, std::string> file_of_id;
  std::map<std::string, std::string> site_of_host;
  for (const auto& file : files) {
    auto loaded = load_site(file, out);
    if (!loaded) continue;
    const SiteConfig& site = loaded->site;
    const std::string name = file.string();
    bool taken = false;
    if (const auto other = file_of_id.find(site.id); other != file_of_id.end()) {
      out.push_back({name, loaded->id.line, loaded->id.column, "id",
                     "site id '" + site.id + "' is already used by " + other->second});
      taken = true;
    }
    for (std::size_t i = 0; i < site.hosts.size(); ++i) {
      if (const auto other = site_of_host.find(site.hosts[i]); other != site_of_host.end()) {
        out.push_back(
            {name, loaded->hosts[i].line, loaded->hosts[i].column,
             "hosts[" + std::to_string(i) + "]",
             "host '" + site.hosts[i] + "' is already used by site '" + other->second + "'"});
        taken = true;
      }
    }
    if (taken) continue;
    file_of_id.emplace(site.id, name);
    for (const auto& host : site.hosts) site_of_host.emplace(host, site.id);
    sites.push_back(std::move(loaded->site));
  }
  return sites;
}

const sdk::Offer* SiteConfig::offer(std::string_view offer_id) const {
  auto found = std::find_if(offers.begin(), offers.end(),
                            [&](const sdk::Offer& offer) { return offer.id == offer_id; });
  return found == offers.end() ? nullptr : &*found;
}

}  // namespace tribe::kernel::config
