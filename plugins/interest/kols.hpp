#pragma once
// The KOLs of an interest site (意见领袖: the reading leader, the reviewer people follow), as its
// YAML section declares them, and what the section's schema cannot see: a post naming a KOL the
// site does not have, a KOL leading a group it does not have. Plain functions, so they are tested
// without a server.
#include <optional>
#include <string>
#include <string_view>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::interest {

struct Kol {
  std::string id;     // URL name: /kols/<id>; a post names its KOL by it (`kol: <id>`)
  std::string name;   // shown on the pages
  std::string title;  // one line under the name, e.g. 领读人 · 21 天共读营
  std::string bio;    // blank lines separate paragraphs
  std::string group;  // the paid group they lead (an id of the section's `groups`), or empty
};

// The section's `kols`, in YAML order (none when absent).
std::vector<Kol> kols_from(const sdk::Json& section);
// The KOL with this id, or nullptr (also for an empty id).
const Kol* find_kol(const std::vector<Kol>& kols, std::string_view id);

// Whether `link` may be shown as a sponsor's link: an http(s) address without spaces.
bool is_web_link(std::string_view link);

// What the schema cannot check in the section (the plugin's section check): a post naming a KOL
// the section does not have ("posts[2].kol": "no KOL 'a-mie' in interest.kols; did you mean
// 'a-mei'?"), a KOL id given twice, a KOL's unknown group, and a sponsor link that is not an
// http(s) address or has no sponsor.
std::vector<sdk::SectionProblem> reference_problems(const sdk::Json& section,
                                                    const std::vector<sdk::Offer>& offers = {});

}  // namespace tribe::interest
