#pragma once
#include <memory>
#include <optional>
#include <string>

#include "kernel/identity/ladder.hpp"
#include "kernel/identity/member_tags.hpp"
#include "kernel/instance/instance.hpp"
#include "kernel/instance/kernel_logger.hpp"
#include "kernel/instance/site_money.hpp"
#include "kernel/money/entitlements.hpp"
#include "tribe/sdk/context.hpp"

namespace tribe::kernel::instance {

// One site as one plugin sees it: the plugin gets its own section as config().
class SiteViewImpl : public sdk::SiteView {
 public:
  SiteViewImpl(const config::SiteConfig& site, sdk::Json section)
      : site_(site), section_(std::move(section)) {}
  const std::string& id() const override { return site_.id; }
  const std::string& name() const override { return site_.name; }
  const std::string& community_type() const override { return site_.type; }
  const std::string& locale() const override { return site_.locale; }
  const std::vector<std::string>& hosts() const override { return site_.hosts; }
  const sdk::Json& config() const override { return section_; }
  const std::vector<sdk::Offer>& offers() const override { return site_.offers; }

 private:
  const config::SiteConfig& site_;
  sdk::Json section_;
};

// The instance's services a Context reaches; the books are null before storage is ready.
struct KernelServices {
  store::Database& database;
  const ui::PageRenderer& renderer;
  const sdk::Clock& clock;
  std::ostream& log;
  const money::EntitlementBook* entitlements = nullptr;
  const identity::Ladder* ladder = nullptr;
  identity::MemberTags* tags = nullptr;
  MoneyServices money;
};

// What a plugin handler or site hook may use, bound to one site, one plugin and (for handlers)
// one request. The storage handle and the money service are made on first use.
class RequestContext : public sdk::Context {
 public:
  RequestContext(const SiteRuntime& site, const PluginRuntime& plugin,
                 const KernelServices& services, std::string base, const std::string& request_id,
                 const Visitor* visitor = nullptr, std::string host = "");

  const sdk::SiteView& site() const override;
  sdk::TenantStore& store() override;
  sdk::Logger& log() override;
  const sdk::Clock& clock() const override { return services_.clock; }
  const sdk::Member* member() const override;
  bool entitled(std::string_view key) const override;
  std::string stage() const override;
  std::string text(std::string_view key) const override;
  std::string render_page(std::string_view name, const sdk::Json& data) override;
  sdk::Money& money() override;
  std::vector<std::string> tags_of(std::string_view member_id) override;
  bool set_tag(std::string_view member_id, std::string_view tag, bool on) override;
  std::vector<std::string> members_tagged(std::string_view tag, int limit) override;

 private:
  identity::MemberTags& tags() const;

  const SiteRuntime& site_;
  const PluginRuntime& plugin_;
  KernelServices services_;
  std::string base_;
  std::string request_id_;
  std::string host_;                    // the request's Host header; empty in site hooks
  const Visitor* visitor_;              // nullptr in site hooks
  std::optional<KernelLogger> logger_;  // built on first use: most requests log nothing
  std::unique_ptr<sdk::TenantStore> store_;
  std::unique_ptr<SiteMoney> money_;
};

}  // namespace tribe::kernel::instance
