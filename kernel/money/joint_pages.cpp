#include "kernel/money/joint_pages.hpp"

#include <memory>

#include "kernel/money/pages.hpp"
#include "tribe/sdk/context.hpp"
#include "tribe/sdk/http.hpp"

namespace tribe::kernel::money {
namespace {

using sdk::Context;
using sdk::HttpError;
using sdk::Json;
using sdk::Request;
using sdk::Response;

class JointPages {
 public:
  JointPages(JointBook& joints, EntitlementBook& entitlements, JointTermsOf terms_of)
      : joints_(joints), entitlements_(entitlements), terms_of_(std::move(terms_of)) {}

  // The buyer's claims on the selling site, each with the partner site's claim link.
  Json claims_json(Context& context) {
    Json claims = Json::array();
    for (const auto& claim : joints_.of_buyer(context.site().id(), context.member()->id)) {
      const auto terms = terms_of_(claim.site, claim.offer_id);
      claims.push_back({{"order_id", claim.order_id},
                        {"offer_id", claim.offer_id},
                        {"title", terms ? terms->title : claim.offer_id},
                        {"partner_site", claim.partner_site},
                        {"grants", terms ? Json(terms->joint.grants) : Json::array()},
                        {"state", claim.state},
                        {"open", claim.state == "open"},
                        {"claim_path", "/s/" + claim.partner_site + "/joint/" + claim.token}});
    }
    return {{"claims", claims}};
  }

  // The partner site's page for one claim link.
  Response claim_page(const Request& request, Context& context) {
    const std::string token = request.params.at("token");
    if (!context.member()) {
      return Response::redirect(request.base + "/login?next=/joint/" + token);
    }
    const auto claim = joints_.find(context.site().id(), token);
    if (!claim) throw HttpError(404, "no joint offer to claim under this link");
    return Response::html(context.render_page("joint_claim", claim_json(*claim, context)));
  }

  Response claim(const Request& request, Context& context) {
    const std::string token = request.params.at("token");
    if (!context.member()) {
      return Response::redirect(request.base + "/login?next=/joint/" + token);
    }
    const auto found = joints_.find(context.site().id(), token);
    if (!found) throw HttpError(404, "no joint offer to claim under this link");
    const auto terms = terms_of_(found->site, found->offer_id);
    if (!terms) throw HttpError(409, "the selling site no longer offers this joint offer");
    try {
      joints_.claim(context.site().id(), token, context.member()->id, terms->joint, terms->term,
                    terms->grace_days, entitlements_, context.clock().now());
    } catch (const JointClaimError& e) {
      throw HttpError(e.status(), e.what());
    }
    return Response::redirect(request.base + "/account");
  }

 private:
  Json claim_json(const JointClaim& claim, Context& context) {
    const auto terms = terms_of_(claim.site, claim.offer_id);
    return {{"token", claim.token},
            {"title", terms ? terms->title : claim.offer_id},
            {"seller", terms ? terms->site_name : claim.site},
            {"grants", terms ? Json(terms->joint.grants) : Json::array()},
            {"open", claim.state == "open"},
            {"mine", claim.claimed_by == context.member()->id},
            {"reversed", claim.state == "reversed"}};
  }

  JointBook& joints_;
  EntitlementBook& entitlements_;
  JointTermsOf terms_of_;
};

}  // namespace

void register_joint_pages(sdk::Registry& registry, JointBook& joints, EntitlementBook& entitlements,
                          JointTermsOf terms_of) {
  auto pages = std::make_shared<JointPages>(joints, entitlements, std::move(terms_of));
  using sdk::Method;
  add_member_page(registry, "/joint", "/api/joint", "joint",
                  [pages](const Request&, Context& c) { return pages->claims_json(c); });
  registry.add_route({Method::Get, "/joint/{token}",
                      [pages](const Request& r, Context& c) { return pages->claim_page(r, c); }});
  registry.add_route({Method::Post, "/joint/{token}",
                      [pages](const Request& r, Context& c) { return pages->claim(r, c); }});
}

}  // namespace tribe::kernel::money
