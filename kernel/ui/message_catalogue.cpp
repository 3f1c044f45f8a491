#include "kernel/ui/message_catalogue.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>

namespace tribe::kernel::ui {

void MessageCatalogue::add(const std::string& locale, const std::string& yaml,
                           const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(source + ": messages for '" + locale + "': " + e.what());
  }
  if (!root.IsMap()) {
    throw std::runtime_error(source + ": messages for '" + locale + "' must be a map of key: text");
  }
  auto& entries = locales_[locale];
  for (const auto& entry : root) {
    if (!entry.second.IsScalar()) {
      throw std::runtime_error(source + ": message '" + entry.first.as<std::string>() + "' for '" +
                               locale + "' must be text");
    }
    entries[entry.first.as<std::string>()] = entry.second.as<std::string>();
  }
}

void MessageCatalogue::merge_missing(const MessageCatalogue& other) {
  for (const auto& [locale, entries] : other.locales_) {
    auto& mine = locales_[locale];
    for (const auto& [key, text] : entries) mine.emplace(key, text);
  }
}

std::string MessageCatalogue::text(std::string_view locale, std::string_view key) const {
  for (std::string_view candidate : {locale, kFallbackLocale}) {
    auto catalogue = locales_.find(candidate);
    if (catalogue == locales_.end()) continue;
    auto entry = catalogue->second.find(key);
    if (entry != catalogue->second.end()) return entry->second;
  }
  return std::string(key);
}

sdk::Json MessageCatalogue::table(std::string_view locale) const {
  sdk::Json table = sdk::Json::object();
  for (std::string_view candidate : {kFallbackLocale, locale}) {
    auto catalogue = locales_.find(candidate);
    if (catalogue == locales_.end()) continue;
    for (const auto& [key, text] : catalogue->second) {
      // Dotted keys nest, because mustache reads {{t.error.internal}} as a path.
      std::string pointer = "/" + key;
      std::replace(pointer.begin(), pointer.end(), '.', '/');
      table[sdk::Json::json_pointer(pointer)] = text;
    }
  }
  return table;
}

}  // namespace tribe::kernel::ui
