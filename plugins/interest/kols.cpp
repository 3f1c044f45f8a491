#include "kols.hpp"

#include <algorithm>
#include <set>

namespace tribe::interest {
namespace {

// Optimal-string-alignment distance (the usual typing slips each cost one edit).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows of the classic table: the swap rule looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t replace = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + replace});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string path_of(const std::string& list, std::size_t index, const std::string& key) {
  return "interest." + list + "[" + std::to_string(index) + "]." + key;
}

// "no KOL 'x' in interest.kols; did you mean 'y'?"
std::string unknown(const std::string& what, const std::string& id, const std::string& where,
                    const std::vector<std::string>& known) {
  std::string message = "no " + what + " '" + id + "' in " + where;
  if (auto close = did_you_mean(id, known)) message += "; did you mean '" + *close + "'?";
  return message;
}

}  // namespace

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

std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance && distance < candidate.size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

bool is_web_link(std::string_view link) {
  const bool web = link.starts_with("https://") || link.starts_with("http://");
  return web && link.find_first_of(" \t\r\n\"'<>") == std::string_view::npos;
}

std::vector<std::string> reference_problems(const sdk::Json& section) {
  std::vector<std::string> problems;
  if (!section.is_object()) return problems;
  const std::vector<Kol> kols = kols_from(section);
  std::vector<std::string> kol_ids;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < kols.size(); ++i) {
    if (!seen.insert(kols[i].id).second) {
      problems.push_back(path_of("kols", i, "id") + ": the KOL id '" + kols[i].id +
                         "' is given twice; give each KOL its own id");
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
      problems.push_back(path_of("kols", i, "group") + ": " +
                         unknown("group", group, "interest.groups", group_ids));
    }
  }
  const sdk::Json posts = section.value("posts", sdk::Json::array());
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const std::string kol = posts[i].value("kol", "");
    if (!kol.empty() && !find_kol(kols, kol)) {
      problems.push_back(path_of("posts", i, "kol") + ": " +
                         unknown("KOL", kol, "interest.kols", kol_ids));
    }
    const std::string link = posts[i].value("sponsor_link", "");
    if (link.empty()) continue;
    if (posts[i].value("sponsor", "").empty()) {
      problems.push_back(path_of("posts", i, "sponsor_link") +
                         ": a sponsor link needs the sponsor's name (sponsor: ...)");
    } else if (!is_web_link(link)) {
      problems.push_back(path_of("posts", i, "sponsor_link") + ": '" + link +
                         "' is not an http(s) address; write e.g. https://example.com/");
    }
  }
  return problems;
}

}  // namespace tribe::interest
