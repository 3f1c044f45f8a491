// The interest plugin: communities held together by a hobby and its content.
#include <tribe/sdk/sdk.hpp>

#include "post_catalogue.hpp"

namespace tribe::interest {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto post = Schema::object({
      required("slug", Schema::string(), "URL name of the post, e.g. reading-week-1"),
      required("title", Schema::string()),
      optional("author", Schema::string()),
      optional("published", Schema::string(), "date, e.g. 2026-11-01"),
      required("body", Schema::string(), "the post's text; blank lines separate paragraphs"),
      optional("tags", Schema::list_of(Schema::string())),
  });
  auto group = Schema::object({
      required("id", Schema::string(), "URL name; an offer granting 'group.<id>' sells access"),
      required("title", Schema::string()),
      optional("description", Schema::string(), "shown to everyone"),
      optional("members_note", Schema::string(), "shown only to members with access"),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("posts", Schema::list_of(post), "posts seeded into the site"),
      optional("groups", Schema::list_of(group), "paid groups: open while the buyer's term runs"),
  });
}

// Paragraphs for the post page; the template escapes each one.
sdk::Json paragraphs(const std::string& body) {
  sdk::Json list = sdk::Json::array();
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    std::string text = body.substr(start, end - start);
    auto first = text.find_first_not_of(" \n\t");
    if (first != std::string::npos) {
      auto last = text.find_last_not_of(" \n\t");
      list.push_back({{"text", text.substr(first, last - first + 1)}});
    }
    start = end + 2;
  }
  return list;
}

sdk::Json with_links(sdk::Json post, const std::string& base) {
  post["url"] = base + "/posts/" + post["slug"].get<std::string>();
  return post;
}

sdk::Response home(const sdk::Request& request, sdk::Context& context) {
  sdk::Json posts = sdk::Json::array();
  for (auto& post : PostCatalogue(context.store()).list()) {
    posts.push_back(with_links(std::move(post), request.base));
  }
  const sdk::Json& config = context.site().config();
  const bool has_posts = !posts.empty();
  sdk::Json data = {{"tagline", config.value("tagline", "")},
                    {"posts", std::move(posts)},
                    {"has_posts", has_posts}};
  return sdk::Response::html(context.render_page("home", data));
}

sdk::Response post_page(const sdk::Request& request, sdk::Context& context) {
  auto post = PostCatalogue(context.store()).find(request.params.at("slug"));
  if (!post) throw sdk::HttpError(404, context.text("interest.post_not_found"));
  sdk::Json data = with_links(std::move(*post), request.base);
  data["paragraphs"] = paragraphs(data["body"].get<std::string>());
  data["has_tags"] = data.contains("tags") && !data["tags"].empty();
  return sdk::Response::html(context.render_page("post", data));
}

sdk::Response api_posts(const sdk::Request& request, sdk::Context& context) {
  sdk::Json posts = sdk::Json::array();
  for (auto& post : PostCatalogue(context.store()).list()) {
    posts.push_back(with_links(std::move(post), request.base));
  }
  return sdk::Response::json({{"site", context.site().id()}, {"posts", std::move(posts)}});
}

sdk::Response api_post(const sdk::Request& request, sdk::Context& context) {
  auto post = PostCatalogue(context.store()).find(request.params.at("slug"));
  if (!post) throw sdk::HttpError(404, "no post '" + request.params.at("slug") + "' on this site");
  return sdk::Response::json(with_links(std::move(*post), request.base));
}

std::optional<sdk::Json> find_group(sdk::Context& context, const std::string& id) {
  for (const auto& group : context.site().config().value("groups", sdk::Json::array())) {
    if (group["id"] == id) return group;
  }
  return std::nullopt;
}

// A paid group: its page serves only members whose term (from the offer granting "group.<id>")
// has not ended, so the group stops serving when the term is over.
sdk::Response group_page(const sdk::Request& request, sdk::Context& context) {
  const std::string& id = request.params.at("id");
  auto group = find_group(context, id);
  if (!group) throw sdk::HttpError(404, context.text("interest.group_not_found"));
  if (auto refusal = sdk::refusal_unless_entitled(request, context, "group." + id)) {
    return *refusal;
  }
  return sdk::Response::html(context.render_page("group", *group));
}

// What members get: the reading list of the membership ("member").
sdk::Response members_page(const sdk::Request&, sdk::Context& context) {
  return sdk::Response::html(context.render_page("members", sdk::Json::object()));
}

class InterestPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"interest", "people held together by a shared hobby and its content"});
    registry.set_config_schema(section_schema());
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    registry.on_site_start([](sdk::Context& context) {
      PostCatalogue(context.store())
          .seed(context.site().config().value("posts", sdk::Json::array()));
    });
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/posts/{slug}", post_page});
    registry.add_route({sdk::Method::Get, "/api/posts", api_posts});
    registry.add_route({sdk::Method::Get, "/api/posts/{slug}", api_post});
    registry.add_route({sdk::Method::Get, "/groups/{id}", group_page});
    registry.add_route(
        {sdk::Method::Get, "/members", sdk::requires_entitlement("member", members_page)});
  }
};

}  // namespace
}  // namespace tribe::interest

TRIBE_PLUGIN(tribe::interest::InterestPlugin, "interest", "0.1.0", "interest",
             "Interest communities: posts, a members' page and paid groups with a term")
