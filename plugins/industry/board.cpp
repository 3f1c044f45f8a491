#include "board.hpp"

#include <algorithm>

#include "club_rules.hpp"

namespace tribe::industry {
namespace {

constexpr const char* kPosts = "industry_posts";
constexpr const char* kContacts = "industry_contacts";
constexpr int kMaxPosts = 500;     // a board page ranks at most this many (the newest)
constexpr int kMaxContacts = 200;  // contacts shown per post

BoardPost post_of(const sdk::Json& row) {
  return {row.at("post_id").get<std::string>(), row.at("kind").get<std::string>(),
          row.at("title").get<std::string>(),   row.at("city").get<std::string>(),
          row.at("role").get<std::string>(),    row.at("created_at").get<std::string>()};
}

std::vector<std::string> my_tags(sdk::Context& context) {
  return context.member() ? context.tags_of(context.member()->id) : std::vector<std::string>{};
}

sdk::Json contacts_of(sdk::Context& context, const std::string& post_id) {
  sdk::Query query;
  query.table = kContacts;
  query.where = {{"post_id", post_id}};
  query.order_by = "created_at";
  query.limit = kMaxContacts;
  sdk::Json list = sdk::Json::array();
  for (const auto& row : context.store().select(query)) {
    list.push_back({{"member_id", row.at("member_id")},
                    {"email", row.at("email")},
                    {"message", row.at("message")},
                    {"at", row.at("created_at")}});
  }
  return list;
}

// The posts of the board (all of one kind, or carrying one tag, when asked), ranked for the
// member; each says which of the member's tags it shares and whether the member asked already.
sdk::Json board_listing(const sdk::Request& request, sdk::Context& context) {
  const std::string kind = request.query.count("kind") ? request.query.at("kind") : "";
  const std::string tag = request.query.count("tag") ? request.query.at("tag") : "";
  sdk::Query query;
  query.table = kPosts;
  if (valid_kind(kind)) query.where = {{"kind", kind}};
  query.order_by = "created_at";  // the newest kMaxPosts are ranked
  query.descending = true;
  query.limit = kMaxPosts;
  std::map<std::string, sdk::Json> rows;
  std::vector<BoardPost> posts;
  for (auto& row : context.store().select(query)) {
    BoardPost post = post_of(row);
    const auto tags = post_tags(post);
    if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) continue;
    posts.push_back(post);
    rows[post.id] = std::move(row);
  }
  const std::vector<std::string> mine = my_tags(context);
  const sdk::Member* me = context.member();
  sdk::Json list = sdk::Json::array();
  for (const auto& post : rank_posts(std::move(posts), mine)) {
    const sdk::Json& row = rows.at(post.id);
    sdk::Json shared = sdk::Json::array();
    for (const auto& post_tag : post_tags(post)) {
      if (std::find(mine.begin(), mine.end(), post_tag) != mine.end()) shared.push_back(post_tag);
    }
    const bool own = me && row.at("member_id") == me->id;
    sdk::Json item = {{"id", post.id},
                      {"kind", post.kind},
                      {"job", post.kind == "job"},
                      {"title", post.title},
                      {"city", post.city},
                      {"role", post.role},
                      {"tags", post_tags(post)},
                      {"description", row.at("description")},
                      {"posted_by", row.at("email")},
                      {"created_at", post.created_at},
                      {"shared", shared},
                      {"matched", !shared.empty()},
                      {"own", own},
                      {"asked", me && !own &&
                                    context.store().count(kContacts, {{"post_id", post.id},
                                                                      {"member_id", me->id}}) > 0}};
    if (own) item["contacts"] = contacts_of(context, post.id);  // who asked, for the poster only
    list.push_back(std::move(item));
  }
  return list;
}

}  // namespace

sdk::Response board_page(const sdk::Request& request, sdk::Context& context) {
  sdk::Json posts = board_listing(request, context);
  const bool any = !posts.empty();
  const bool verified = context.member() && is_verified(my_tags(context));
  return sdk::Response::html(
      context.render_page("board", {{"posts", std::move(posts)},
                                    {"any", any},
                                    {"logged_in", context.member() != nullptr},
                                    {"verified", verified},
                                    {"my_tags", my_tags(context)}}));
}

sdk::Response board_api(const sdk::Request& request, sdk::Context& context) {
  return sdk::Response::json(
      {{"posts", board_listing(request, context)}, {"my_tags", my_tags(context)}});
}

sdk::Response create_post(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/board");
  if (!is_verified(my_tags(context))) {
    throw sdk::HttpError(403, context.text("industry.board_verified_only"));
  }
  const std::string kind = request.field("kind");
  const std::string title = request.field("title");
  const std::string city = request.field("city");
  const std::string role = request.field("role");
  const std::string description = request.field("description");
  if (!valid_kind(kind) || title.empty() || characters(title) > 100 || description.empty() ||
      characters(description) > 2000 || (!city.empty() && !valid_tag_value(city)) ||
      (!role.empty() && !valid_tag_value(role))) {
    throw sdk::HttpError(400, context.text("industry.post_fields"));
  }
  context.store().insert(kPosts, {{"post_id", sdk::flows::fresh_idempotency_key().substr(0, 12)},
                                  {"member_id", context.member()->id},
                                  {"email", context.member()->email},
                                  {"kind", kind},
                                  {"title", title},
                                  {"city", city},
                                  {"role", role},
                                  {"description", description},
                                  {"created_at", time_text(context.clock().now())}});
  return sdk::Response::redirect(request.base + "/board");
}

sdk::Response contact_post(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/board");
  const std::string& id = request.params.at("id");
  const std::string message = request.field("message");
  if (characters(message) > 500) throw sdk::HttpError(400, context.text("industry.message_fields"));
  const sdk::Member& me = *context.member();
  context.store().transaction([&](sdk::TenantStore& store) {
    const auto post = store.find_one(kPosts, {{"post_id", id}});
    if (!post) throw sdk::HttpError(404, context.text("industry.post_not_found"));
    if (post->at("member_id") == me.id) {
      throw sdk::HttpError(409, context.text("industry.own_post"));
    }
    if (store.find_one(kContacts, {{"post_id", id}, {"member_id", me.id}})) return;  // asked
    store.insert(kContacts, {{"post_id", id},
                             {"member_id", me.id},
                             {"email", me.email},
                             {"message", message},
                             {"created_at", time_text(context.clock().now())}});
  });
  return sdk::Response::redirect(request.base + "/board");
}

sdk::Response my_posts_api(const sdk::Request&, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("industry.log_in_first"));
  sdk::Query query;
  query.table = kPosts;
  query.where = {{"member_id", context.member()->id}};
  query.order_by = "created_at";
  query.descending = true;
  query.limit = kMaxPosts;
  sdk::Json list = sdk::Json::array();
  for (const auto& row : context.store().select(query)) {
    const std::string id = row.at("post_id").get<std::string>();
    list.push_back({{"id", id},
                    {"kind", row.at("kind")},
                    {"title", row.at("title")},
                    {"contacts", contacts_of(context, id)}});
  }
  return sdk::Response::json({{"posts", std::move(list)}});
}

}  // namespace tribe::industry
