#include "paywall.hpp"

namespace tribe::media {

std::vector<Post> posts_from(const sdk::Json& list) {
  std::vector<Post> posts;
  if (!list.is_array()) return posts;
  for (const auto& item : list) {
    posts.push_back({item.value("slug", ""), item.value("title", ""), item.value("author", ""),
                     item.value("published", ""), item.value("teaser", ""), item.value("body", ""),
                     item.value("requires", "")});
  }
  return posts;
}

std::optional<Post> find_post(const std::vector<Post>& posts, const std::string& slug) {
  for (const auto& post : posts) {
    if (post.slug == slug) return post;
  }
  return std::nullopt;
}

bool may_read(const Post& post, const std::function<bool(const std::string&)>& entitled) {
  return post.requires_key.empty() || entitled(post.requires_key);
}

sdk::Json post_json(const Post& post, bool readable) {
  sdk::Json json = {{"slug", post.slug},
                    {"title", post.title},
                    {"author", post.author},
                    {"published", post.published},
                    {"teaser", post.teaser},
                    {"requires", post.requires_key},
                    {"paid", !post.requires_key.empty()},
                    {"locked", !readable}};
  if (readable) json["body"] = post.body;
  return json;
}

}  // namespace tribe::media
