#pragma once
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::interest {

// The posts of one site: seeded from its YAML, kept in interest_posts. A post may name the KOL
// who wrote it (`kol`) and a sponsor (`sponsor`, `sponsor_link`), stored as written ('' for none).
class PostCatalogue {
 public:
  static constexpr const char* kTable = "interest_posts";

  explicit PostCatalogue(sdk::TenantStore& store) : store_(store) {}

  // Inserts the posts of the site's `interest.posts` that are new, refreshes the others, and keeps
  // their YAML order. Posts not in the YAML are left alone: content may come from elsewhere.
  void seed(const sdk::Json& posts);

  // Summaries in site order (no body).
  std::vector<sdk::Json> list();
  // The summaries of the posts naming the KOL `kol` (`kol: <id>`), in site order.
  std::vector<sdk::Json> by_kol(const std::string& kol);
  std::optional<sdk::Json> find(const std::string& slug);

 private:
  std::vector<sdk::Json> summaries(const sdk::Json& where);

  sdk::TenantStore& store_;
};

}  // namespace tribe::interest
