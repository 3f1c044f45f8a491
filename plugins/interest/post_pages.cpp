// The home page, a page per post and their JSON. A sponsored post carries its label everywhere.
#include <algorithm>

#include "pages.hpp"
#include "post_catalogue.hpp"

namespace tribe::interest {
namespace {

std::vector<sdk::Json> post_views(std::vector<sdk::Json> posts, const sdk::Request& request,
                                  sdk::Context& context) {
  const std::vector<Kol> kols = kols_from(context.site().config());
  for (auto& post : posts) post = post_view(std::move(post), request, context, kols);
  return posts;
}

bool sells_products(sdk::Context& context) {
  const auto& offers = context.site().offers();
  return std::any_of(offers.begin(), offers.end(),
                     [](const sdk::Offer& offer) { return offer.kind == "product"; });
}

}  // namespace

sdk::Json paragraphs(const std::string& text) {
  sdk::Json list = sdk::Json::array();
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find("\n\n", start);
    if (end == std::string::npos) end = text.size();
    std::string paragraph = text.substr(start, end - start);
    auto first = paragraph.find_first_not_of(" \n\t");
    if (first != std::string::npos) {
      auto last = paragraph.find_last_not_of(" \n\t");
      list.push_back({{"text", paragraph.substr(first, last - first + 1)}});
    }
    start = end + 2;
  }
  return list;
}

sdk::Json post_view(sdk::Json post, const sdk::Request& request, sdk::Context& context,
                    const std::vector<Kol>& kols) {
  post["url"] = request.base + "/posts/" + post["slug"].get<std::string>();
  if (const Kol* kol = find_kol(kols, post.value("kol", ""))) {
    if (post.value("author", "").empty()) post["author"] = kol->name;
    post["kol"] = {
        {"id", kol->id}, {"name", kol->name}, {"url", request.base + "/kols/" + kol->id}};
  } else {
    post["kol"] = nullptr;  // none, or an id the site does not have (logged at start)
  }
  const std::string sponsor = post.value("sponsor", "");
  const std::string link = post.value("sponsor_link", "");
  post.erase("sponsor_link");
  if (sponsor.empty()) {
    post["sponsor"] = nullptr;
  } else {
    post["sponsor"] = {{"name", sponsor}, {"label", context.text("interest.sponsored")}};
    if (is_web_link(link)) post["sponsor"]["link"] = link;
  }
  return post;
}

sdk::Response home(const sdk::Request& request, sdk::Context& context) {
  sdk::Json posts = post_views(PostCatalogue(context.store()).list(), request, context);
  const sdk::Json& config = context.site().config();
  const bool has_posts = !posts.empty();
  sdk::Json data = {{"tagline", config.value("tagline", "")},
                    {"posts", std::move(posts)},
                    {"has_posts", has_posts},
                    {"has_kols", !kols_from(config).empty()},
                    {"has_shop", sells_products(context)}};
  return sdk::Response::html(context.render_page("home", data));
}

sdk::Response post_page(const sdk::Request& request, sdk::Context& context) {
  auto post = PostCatalogue(context.store()).find(request.params.at("slug"));
  if (!post) throw sdk::HttpError(404, context.text("interest.post_not_found"));
  sdk::Json data =
      post_view(std::move(*post), request, context, kols_from(context.site().config()));
  data["paragraphs"] = paragraphs(data["body"].get<std::string>());
  data["has_tags"] = data.contains("tags") && !data["tags"].empty();
  return sdk::Response::html(context.render_page("post", data));
}

sdk::Response api_posts(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::json(
      {{"site", context.site().id()},
       {"posts", post_views(PostCatalogue(context.store()).list(), request, context)}});
}

sdk::Response api_post(const sdk::Request& request, sdk::Context& context) {
  auto post = PostCatalogue(context.store()).find(request.params.at("slug"));
  if (!post) throw sdk::HttpError(404, "no post '" + request.params.at("slug") + "' on this site");
  return sdk::Response::json(
      post_view(std::move(*post), request, context, kols_from(context.site().config())));
}

}  // namespace tribe::interest
