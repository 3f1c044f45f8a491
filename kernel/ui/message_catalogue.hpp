#pragma once
#include <map>
#include <string>
#include <string_view>

#include "tribe/sdk/json.hpp"

namespace tribe::kernel::ui {

// Flat `key: text` catalogues per locale. Lookups fall back to English, then to the key itself
// so a missing translation shows up on the page instead of an empty string.
class MessageCatalogue {
 public:
  static constexpr std::string_view kFallbackLocale = "en";

  // Throws std::runtime_error naming `source` when the YAML is not a flat map of strings.
  void add(const std::string& locale, const std::string& yaml, const std::string& source);
  // Entries of `other` fill in keys this catalogue lacks.
  void merge_missing(const MessageCatalogue& other);

  std::string text(std::string_view locale, std::string_view key) const;
  // Every key for `locale` (with fallbacks) as a JSON object, for templates: {{t.key}}.
  sdk::Json table(std::string_view locale) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> locales_;
};

}  // namespace tribe::kernel::ui
