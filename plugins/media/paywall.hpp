#pragma once
// Paywalled posts: every post has a teaser shown to everyone; its body is shown only to members
// holding the entitlement the post `requires` (a free post requires none). Plain functions, so the
// decision is tested without a server.
#include <functional>
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::media {

struct Post {
  std::string slug;
  std::string title;
  std::string author;
  std::string published;
  std::string teaser;
  std::string body;
  std::string requires_key;  // "" for a free post
};

// The posts of the YAML's `posts` list, in order.
std::vector<Post> posts_from(const sdk::Json& list);
std::optional<Post> find_post(const std::vector<Post>& posts, const std::string& slug);

// Whether the body may be shown: a free post always, a paid one when `entitled(key)` says so.
bool may_read(const Post& post, const std::function<bool(const std::string&)>& entitled);

// A post as JSON: slug, title, author, published, teaser, requires, locked; `body` only when
// `readable` (a locked post's body never leaves the server).
sdk::Json post_json(const Post& post, bool readable);

}  // namespace tribe::media
