// The seed-user programme's pages: where a member stands, the form that redeems an invitation
// code, and the admins' form that invites an e-mail address.
#include "pages.hpp"
#include "seed_programme.hpp"

namespace tribe::product {

std::vector<std::string> invitation_codes(const sdk::Context& context) {
  std::vector<std::string> codes;
  for (const auto& code : context.site().config().value("seed_invitations", sdk::Json::array())) {
    codes.push_back(code.get<std::string>());
  }
  return codes;
}

namespace {

// The early-access products, for the programme's page.
sdk::Json early_products(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (auto& item : product_listing(request, context)) {
    if (item["early_access"] == true) list.push_back(std::move(item));
  }
  return list;
}

sdk::Json invite_list(sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& row : SeedProgramme(context.store()).invites()) {
    list.push_back({{"email", row["email"]}, {"at", row["invited_at"]}});
  }
  return list;
}

}  // namespace

sdk::Response seed_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/seed");
  const bool admin = context.member()->admin;
  sdk::Json early = early_products(request, context);
  sdk::Json data = {{"seed_user", seed_user(context)},
                    {"admin", admin},
                    {"has_early", !early.empty()},
                    {"early", std::move(early)},
                    {"invites", admin ? invite_list(context) : sdk::Json::array()}};
  return sdk::Response::html(context.render_page("seed", data));
}

sdk::Response seed_api(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("product.log_in_first"));
  sdk::Json json = {{"seed_user", seed_user(context)},
                    {"early_access", early_products(request, context)}};
  if (context.member()->admin) json["invites"] = invite_list(context);
  return sdk::Response::json(json);
}

// Redeems an invitation code: 303 to the programme's page once joined (also when already a seed
// user), 404 for a code the site never issued, 409 for a code another member redeemed.
sdk::Response join_seed(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/seed");
  switch (SeedProgramme(context.store())
              .redeem(*context.member(), request.field("code"), invitation_codes(context),
                      now_text(context))) {
    case SeedProgramme::Joined::UnknownCode:
      throw sdk::HttpError(404, context.text("product.seed_code_unknown"));
    case SeedProgramme::Joined::CodeTaken:
      throw sdk::HttpError(409, context.text("product.seed_code_taken"));
    case SeedProgramme::Joined::Joined:
    case SeedProgramme::Joined::AlreadySeed:
      break;
  }
  return sdk::Response::redirect(request.base + "/seed");
}

// A site admin invites an e-mail address: its member (now or once they sign up) is a seed user.
sdk::Response invite_seed(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/seed");
  if (!context.member()->admin) throw sdk::HttpError(403, context.text("product.admins_only"));
  const std::string email = normalized_email(request.field("email"));
  if (email.empty()) throw sdk::HttpError(400, context.text("product.invite_email"));
  SeedProgramme(context.store()).invite(email, context.member()->id, now_text(context));
  return sdk::Response::redirect(request.base + "/seed");
}

}  // namespace tribe::product
