#include "post_catalogue.hpp"

namespace tribe::interest {
namespace {

sdk::Json row_from_yaml(const sdk::Json& post, std::size_t position) {
  return {{"slug", post.at("slug")},
          {"title", post.at("title")},
          {"author", post.value("author", "")},
          {"published", post.value("published", "")},
          {"body", post.at("body")},
          {"tags", post.value("tags", sdk::Json::array()).dump()},
          {"kol", post.value("kol", "")},
          {"sponsor", post.value("sponsor", "")},
          {"sponsor_link", post.value("sponsor_link", "")},
          {"position", static_cast<std::int64_t>(position)}};
}

// Tags are stored as JSON text; callers get them back as a list.
sdk::Json with_tags_parsed(sdk::Json row) {
  if (row.contains("tags") && row["tags"].is_string()) {
    row["tags"] = sdk::Json::parse(row["tags"].get<std::string>(), nullptr, false);
    if (row["tags"].is_discarded()) row["tags"] = sdk::Json::array();
  }
  return row;
}

}  // namespace

void PostCatalogue::seed(const sdk::Json& posts) {
  if (!posts.is_array()) return;
  store_.transaction([&](sdk::TenantStore& store) {
    for (std::size_t i = 0; i < posts.size(); ++i) {
      sdk::Json row = row_from_yaml(posts[i], i);
      sdk::Json key = {{"slug", row["slug"]}};
      if (store.count(kTable, key) == 0) {
        store.insert(kTable, row);
      } else {
        row.erase("slug");
        store.update(kTable, key, row);
      }
    }
  });
}

std::vector<sdk::Json> PostCatalogue::list() {
  return summaries(sdk::Json::object());
}

std::vector<sdk::Json> PostCatalogue::by_kol(const std::string& kol) {
  if (kol.empty()) return {};
  return summaries({{"kol", kol}});
}

std::vector<sdk::Json> PostCatalogue::summaries(const sdk::Json& where) {
  sdk::Query query;
  query.table = kTable;
  query.where = where;
  query.order_by = "position";
  std::vector<sdk::Json> posts;
  for (auto& row : store_.select(query)) {
    row.erase("body");
    posts.push_back(with_tags_parsed(std::move(row)));
  }
  return posts;
}

std::optional<sdk::Json> PostCatalogue::find(const std::string& slug) {
  auto row = store_.find_one(kTable, {{"slug", slug}});
  if (!row) return std::nullopt;
  return with_tags_parsed(std::move(*row));
}

}  // namespace tribe::interest
