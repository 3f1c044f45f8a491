// The KOLs' pages: who they are, the posts they wrote (`kol: <id>` on a post) and the paid group
// they lead, and the same as JSON.
#include <map>

#include "pages.hpp"
#include "post_catalogue.hpp"

namespace tribe::interest {
namespace {

// The group the KOL leads as {id, title, description, url}, or null (none, or not in the section).
sdk::Json group_json(const sdk::Request& request, sdk::Context& context, const Kol& kol) {
  if (kol.group.empty()) return nullptr;
  auto group = find_group(context, kol.group);
  if (!group) return nullptr;  // logged at start
  return {{"id", kol.group},
          {"title", group->value("title", "")},
          {"description", group->value("description", "")},
          {"url", request.base + "/groups/" + kol.group}};
}

sdk::Json kol_json(const sdk::Request& request, sdk::Context& context, const Kol& kol) {
  return {{"id", kol.id},
          {"name", kol.name},
          {"title", kol.title},
          {"bio", kol.bio},
          {"group", group_json(request, context, kol)},
          {"url", request.base + "/kols/" + kol.id}};
}

// Every KOL with how many posts they wrote.
sdk::Json kol_listing(const sdk::Request& request, sdk::Context& context) {
  std::map<std::string, int> posts;
  for (const auto& post : PostCatalogue(context.store()).list()) ++posts[post.value("kol", "")];
  sdk::Json list = sdk::Json::array();
  for (const auto& kol : kols_from(context.site().config())) {
    sdk::Json item = kol_json(request, context, kol);
    item["posts"] = posts[kol.id];
    list.push_back(std::move(item));
  }
  return list;
}

// The KOL `id` with their posts (summaries, labelled when sponsored), or 404.
sdk::Json kol_with_posts(const sdk::Request& request, sdk::Context& context) {
  const std::vector<Kol> kols = kols_from(context.site().config());
  const Kol* kol = find_kol(kols, request.params.at("id"));
  if (!kol) throw sdk::HttpError(404, context.text("interest.kol_not_found"));
  sdk::Json data = kol_json(request, context, *kol);
  sdk::Json posts = sdk::Json::array();
  for (auto& post : PostCatalogue(context.store()).by_kol(kol->id)) {
    posts.push_back(post_view(std::move(post), request, context, kols));
  }
  data["posts"] = std::move(posts);
  return data;
}

}  // namespace

sdk::Response kols_page(const sdk::Request& request, sdk::Context& context) {
  sdk::Json kols = kol_listing(request, context);
  const bool has_kols = !kols.empty();
  return sdk::Response::html(
      context.render_page("kols", {{"kols", std::move(kols)}, {"has_kols", has_kols}}));
}

sdk::Response kol_page(const sdk::Request& request, sdk::Context& context) {
  sdk::Json kol = kol_with_posts(request, context);
  const bool has_posts = !kol["posts"].empty();
  sdk::Json data = {{"title", kol["name"]},  // the page's title; the KOL's own is kol.title
                    {"bio_paragraphs", paragraphs(kol["bio"].get<std::string>())},
                    {"has_posts", has_posts}};
  data["kol"] = std::move(kol);
  return sdk::Response::html(context.render_page("kol", data));
}

sdk::Response api_kols(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::json(
      {{"site", context.site().id()}, {"kols", kol_listing(request, context)}});
}

sdk::Response api_kol(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::json(kol_with_posts(request, context));
}

}  // namespace tribe::interest
