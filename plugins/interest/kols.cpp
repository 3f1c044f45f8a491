#include "kols.hpp"

#include <algorithm>
#include <set>

namespace tribe::interest {

std::vector<Kol> kols_from(const sdk::Json& section) {
  std::vector<Kol> kols;
  if (!section.is_object() || !section.contains("kols") || !section["kols"].is_array()) return kols;
  for (const auto& kol : section["kols"]) {
    kols.push_back({kol.value("id", ""), kol.value("name", ""), kol.value("title", ""),
                    kol.value("bio", ""), kol.value("group", "")});
  }
  return kols;
}

const Kol* find_kol(const std::vector<Kol>& kols, std::string_view id) {
  if (id.empty()) return nullptr;
  for (const auto& kol : kols) {
    if (kol.id == id) return &kol;
  }
  return nullptr;
}

bool is_web_link(std::string_view link) {
  const bool web = link.starts_with("https://") || link.starts_with("http://");
  return web && link.find_first_of(" \t\r\n\"'<>") == std::string_view::npos;
}

std::vector<sdk::SectionProblem> reference_problems(const sdk::Json& section,
                                                    const std::vector<sdk::Offer>&) {
  std::vector<sdk::SectionProblem> problems;
  if (!section.is_object()) return problems;
  const std::vector<Kol> kols = kols_from(section);
  std::vector<std::string> kol_ids;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < kols.size(); ++i) {
    if (!seen.insert(kols[i].id).second) {
      problems.push_back(
          {sdk::item_path("kols", i, "id"),
           "the KOL id '" + kols[i].id + "' is given twice; give each KOL its own id"});
    }
    kol_ids.push_back(kols[i].id);
  }
  std::vector<std::string> group_ids;
  for (const auto& group : section.value("groups", sdk::Json::array())) {
    group_ids.push_back(group.value("id", ""));
  }
  for (std::size_t i = 0; i < kols.size(); ++i) {
    const std::string& group = kols[i].group;
    if (!group.empty() && std::find(group_ids.begin(), group_ids.end(), group) == group_ids.end()) {
      problems.push_back({sdk::item_path("kols", i, "group"),
                          sdk::unknown_name("group", group, "in interest.groups", group_ids)});
    }
  }
  const sdk::Json posts = section.value("posts", sdk::Json::array());
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const std::string kol = posts[i].value("kol", "");
    if (!kol.empty() && !find_kol(kols, kol)) {
      problems.push_back({sdk::item_path("posts", i, "kol"),
                          sdk::unknown_name("KOL", kol, "in interest.kols", kol_ids)});
    }
    const std::string link = posts[i].value("sponsor_link", "");
    if (link.empty()) continue;
    if (posts[i].value("sponsor", "").empty()) {
      problems.push_back({sdk::item_path("posts", i, "sponsor_link"),
                          "a sponsor link needs the sponsor's name (sponsor: ...)"});
    } else if (!is_web_link(link)) {
      problems.push_back(
          {sdk::item_path("posts", i, "sponsor_link"),
           "'" + link + "' is not an http(s) address; write e.g. https://example.com/"});
    }
  }
  return problems;
}

}  // namespace tribe::interest
