#include "kernel/identity/pages.hpp"

#include <algorithm>

#include "kernel/http/cookie.hpp"
#include "kernel/identity/identity_error.hpp"
#include "kernel/identity/pages_files.hpp"
#include "tribe/sdk/bundle.hpp"
#include "tribe/sdk/context.hpp"

namespace tribe::kernel::identity {
namespace {

using sdk::Context;
using sdk::Json;
using sdk::Request;
using sdk::Response;

// Where to go after the form: a path inside the site only, so `next` cannot send the visitor to
// another site (an open redirect).
std::string next_path(const Request& request) {
  std::string next = request.form.count("next") ? request.field("next") : "";
  if (next.empty() && request.query.count("next")) next = request.query.at("next");
  if (next.empty() || next.front() != '/' || next.starts_with("//") ||
      next.find('\\') != std::string::npos) {
    return "/account";
  }
  return next;
}

Response form_page(Context& context, const char* name, int status, Json data) {
  return Response::html(context.render_page(name, data), status);
}

// Starts a new session (a new token: rotated at every log-in) and ends the one the browser had.
Response logged_in(const Request& request, Context& context, SessionBook& sessions,
                   const std::string& account_id) {
  const std::string& tenant = context.site().id();
  if (auto old = request.cookies.find(kSessionCookie); old != request.cookies.end()) {
    sessions.end(tenant, old->second);
  }
  const std::string token = sessions.start(tenant, account_id, context.clock().now());
  Response response = Response::redirect(request.base + next_path(request));
  response.headers.emplace_back("Set-Cookie",
                                http::set_cookie(request, kSessionCookie, token, std::nullopt));
  return response;
}

class Pages {
 public:
  Pages(IdentityBooks books, SignedUp signed_up, VocabularyOf vocabulary_of)
      : accounts_(books.accounts),
        sessions_(books.sessions),
        ladder_(books.ladder),
        tags_(books.tags),
        signed_up_(std::move(signed_up)),
        vocabulary_of_(std::move(vocabulary_of)) {}

  Response signup_form(const Request& request, Context& context) {
    return form_page(context, "signup", 200, {{"next", next_path(request)}});
  }

  Response signup(const Request& request, Context& context) {
    try {
      const Account account =
          accounts_.sign_up(context.site().id(), request.field("email"),
                            request.field("display_name"), request.field("password"));
      context.log().info("account " + account.id + " signed up");
      ladder_.climb(context.site().id(), account.id, Stage::Fan, "sign-up", context.clock().now());
      if (signed_up_) signed_up_(request, context, account);
      return logged_in(request, context, sessions_, account.id);
    } catch (const IdentityError& e) {
      return form_page(context, "signup", 400,
                       {{"error", e.what()},
                        {"email", request.field("email")},
                        {"display_name", request.field("display_name")},
                        {"next", next_path(request)}});
    }
  }

  Response login_form(const Request& request, Context& context) {
    return form_page(context, "login", 200, {{"next", next_path(request)}});
  }

  Response login(const Request& request, Context& context) {
    const LoginResult result =
        accounts_.log_in(context.site().id(), request.field("email"), request.field("password"),
                         request.client_address, context.clock().now());
    if (result.outcome == LoginResult::Outcome::LoggedIn) {
      return logged_in(request, context, sessions_, result.account->id);
    }
    const bool throttled = result.outcome == LoginResult::Outcome::Throttled;
    Response page =
        form_page(context, "login", throttled ? 429 : 401,
                  {{"error", throttled ? result.message : context.text("identity.login.wrong")},
                   {"email", request.field("email")},
                   {"next", next_path(request)}});
    if (throttled)
      page.headers.emplace_back("Retry-After", std::to_string(result.retry_after.count()));
    return page;
  }

  Response logout(const Request& request, Context& context) {
    if (auto token = request.cookies.find(kSessionCookie); token != request.cookies.end()) {
      sessions_.end(context.site().id(), token->second);
    }
    Response response = Response::redirect(request.base + "/");
    response.headers.emplace_back(
        "Set-Cookie", http::set_cookie(request, kSessionCookie, "", std::chrono::seconds(0)));
    return response;
  }

  Response password_form(const Request& request, Context& context) {
    if (!context.member())
      return Response::redirect(request.base + "/login?next=/account/password");
    return form_page(context, "password", 200, Json::object());
  }

  // A changed password ends every session of the account, this one included, and starts a new
  // one here: whoever held an old token is out.
  Response change_password(const Request& request, Context& context) {
    const sdk::Member* member = context.member();
    if (!member) return Response::redirect(request.base + "/login?next=/account/password");
    const std::string& tenant = context.site().id();
    try {
      accounts_.change_password(tenant, member->id, request.field("old_password"),
                                request.field("new_password"));
    } catch (const IdentityError& e) {
      return form_page(context, "password", 400, {{"error", e.what()}});
    }
    sessions_.end_all(tenant, member->id);
    const std::string token = sessions_.start(tenant, member->id, context.clock().now());
    Response response = form_page(context, "password", 200, {{"done", true}});
    response.headers.emplace_back("Set-Cookie",
                                  http::set_cookie(request, kSessionCookie, token, std::nullopt));
    return response;
  }

  // The logged-in member as JSON, with their place on the ladder and how they got there.
  Response me(const Request&, Context& context) {
    const sdk::Member* member = context.member();
    if (!member) throw sdk::HttpError(401, "log in first");
    Json steps = Json::array();
    for (const auto& step : ladder_.history(context.site().id(), member->id)) {
      steps.push_back({{"stage", to_string(step.stage)},
                       {"reached_at", std::chrono::duration_cast<std::chrono::seconds>(
                                          step.reached_at.time_since_epoch())
                                          .count()},
                       {"reason", step.reason}});
    }
    return Response::json({{"id", member->id},
                           {"email", member->email},
                           {"display_name", member->display_name},
                           {"admin", member->admin},
                           {"stage", context.stage()},
                           {"ladder", steps},
                           {"tags", tags_.of(context.site().id(), member->id)}});
  }

  // The tags members choose for themselves, as checkboxes grouped like the site's `tags` key.
  Response tags_form(const Request& request, Context& context) {
    if (!context.member()) return Response::redirect(request.base + "/login?next=/account/tags");
    return form_page(context, "tags", 200, tag_choices(context));
  }

  // A checkbox is named by its tag ("city:上海"); only the vocabulary's tags are read.
  Response choose_tags(const Request& request, Context& context) {
    const sdk::Member* member = context.member();
    if (!member) return Response::redirect(request.base + "/login?next=/account/tags");
    const auto& vocabulary = vocabulary_of_(context.site().id());
    std::vector<std::string> chosen;
    for (const auto& [name, value] : request.form) {
      if (!value.empty() && vocabulary.offers(name)) chosen.push_back(name);
    }
    tags_.choose(context.site().id(), member->id, vocabulary, chosen, context.clock().now());
    Json data = tag_choices(context);
    data["done"] = true;
    return form_page(context, "tags", 200, data);
  }

  // POST /api/me/tags {"tags": [...]}: the member's choice replaced; their tags back.
  Response choose_tags_api(const Request& request, Context& context) {
    const sdk::Member* member = context.member();
    if (!member) throw sdk::HttpError(401, "log in first");
    const Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("tags") || !body["tags"].is_array()) {
      throw sdk::HttpError(400, "send {\"tags\": [\"city:上海\", ...]}");
    }
    std::vector<std::string> chosen;
    for (const auto& tag : body["tags"]) {
      if (!tag.is_string()) throw sdk::HttpError(400, "each tag is a string");
      chosen.push_back(tag.get<std::string>());
    }
    try {
      tags_.choose(context.site().id(), member->id, vocabulary_of_(context.site().id()), chosen,
                   context.clock().now());
    } catch (const IdentityError& e) {
      throw sdk::HttpError(400, e.what());
    }
    return Response::json({{"tags", tags_.of(context.site().id(), member->id)}});
  }

 private:
  Json tag_choices(Context& context) {
    const auto held = tags_.of(context.site().id(), context.member()->id);
    Json groups = Json::array();
    for (const auto& [group, values] : vocabulary_of_(context.site().id()).groups) {
      Json choices = Json::array();
      for (const auto& value : values) {
        const std::string tag = group + ":" + value;
        choices.push_back({{"tag", tag},
                           {"value", value},
                           {"checked", std::find(held.begin(), held.end(), tag) != held.end()}});
      }
      groups.push_back({{"group", group}, {"choices", choices}});
    }
    return {
        {"groups", groups}, {"held", held}, {"has_held", !held.empty()}, {"none", groups.empty()}};
  }

  AccountBook& accounts_;
  SessionBook& sessions_;
  Ladder& ladder_;
  MemberTags& tags_;
  SignedUp signed_up_;
  VocabularyOf vocabulary_of_;
};

template <typename Method>
sdk::Handler route_to(const std::shared_ptr<Pages>& pages, Method method) {
  return [pages, method](const Request& request, Context& context) {
    return ((*pages).*method)(request, context);
  };
}

}  // namespace

void register_pages(sdk::Registry& registry, IdentityBooks books, SignedUp signed_up,
                    VocabularyOf vocabulary_of) {
  sdk::register_bundled_files(registry, pages_files());
  auto pages = std::make_shared<Pages>(books, std::move(signed_up), std::move(vocabulary_of));
  using sdk::Method;
  registry.add_route({Method::Get, "/signup", route_to(pages, &Pages::signup_form)});
  registry.add_route({Method::Post, "/signup", route_to(pages, &Pages::signup)});
  registry.add_route({Method::Get, "/login", route_to(pages, &Pages::login_form)});
  registry.add_route({Method::Post, "/login", route_to(pages, &Pages::login)});
  registry.add_route({Method::Post, "/logout", route_to(pages, &Pages::logout)});
  registry.add_route({Method::Get, "/account/password", route_to(pages, &Pages::password_form)});
  registry.add_route({Method::Post, "/account/password", route_to(pages, &Pages::change_password)});
  registry.add_route({Method::Get, "/api/me", route_to(pages, &Pages::me)});
  registry.add_route({Method::Get, "/account/tags", route_to(pages, &Pages::tags_form)});
  registry.add_route({Method::Post, "/account/tags", route_to(pages, &Pages::choose_tags)});
  registry.add_route({Method::Post, "/api/me/tags", route_to(pages, &Pages::choose_tags_api)});
}

}  // namespace tribe::kernel::identity
