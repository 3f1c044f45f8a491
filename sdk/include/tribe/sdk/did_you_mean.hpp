#pragma once
// "did you mean 'x'?" for a name that is not known: the kernel's YAML errors and a plugin's own
// section checks (Registry::set_section_check) suggest the same way. Header-only.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tribe::sdk {

// Optimal-string-alignment distance: inserting, deleting or replacing a character, or swapping two
// neighbouring ones, each costs one (the usual typing slips).
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
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

// The candidate `word` is most likely a typo of: the closest one within max(2, length / 3) edits
// that shares at least one character position with it; nullopt when none is that close.
inline std::optional<std::string> did_you_mean(std::string_view word,
                                               const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    // Replacing every character of a short candidate is no evidence of a typo.
    if (distance < best_distance && distance < candidate.size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

// "no offer 'x' on this site; did you mean 'y'?": `what` names the thing that is missing.
inline std::string unknown_name(const std::string& what, const std::string& name,
                                const std::string& where, const std::vector<std::string>& known) {
  std::string message = "no " + what + " '" + name + "' " + where;
  if (auto close = did_you_mean(name, known)) message += "; did you mean '" + *close + "'?";
  return message;
}

}  // namespace tribe::sdk
