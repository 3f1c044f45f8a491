#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tribe::kernel::config {

// Optimal-string-alignment distance: inserting, deleting or replacing a character, or swapping two
// neighbouring ones, each costs one (the usual typing slips).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate `word` is most likely a typo of: the closest one within max(2, length / 3) edits
// that shares at least one character position with it; nullopt when none is that close.
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace tribe::kernel::config
