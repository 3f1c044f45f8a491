#include "kernel/plugins/registry_recorder.hpp"

#include <algorithm>
#include <regex>
#include <utility>

namespace tribe::kernel::plugins {

void RegistryRecorder::add_community_type(sdk::CommunityType type) {
  if (type.name.empty()) throw RegistryError("add_community_type: the community type has no name");
  bool taken = std::ranges::any_of(into_.community_types,
                                   [&](const auto& known) { return known.name == type.name; });
  if (taken) throw RegistryError("community type '" + type.name + "' is added twice");
  into_.community_types.push_back(std::move(type));
}

void RegistryRecorder::set_config_schema(sdk::Schema schema) {
  if (into_.config_schema) {
    throw RegistryError(
        "set_config_schema called twice; a plugin has one schema for its YAML section");
  }
  into_.config_schema = std::move(schema);
}

void RegistryRecorder::add_migration(sdk::Migration migration) {
  if (migration.version <= 0) {
    throw RegistryError("migration '" + migration.name + "' has version " +
                        std::to_string(migration.version) +
                        "; versions are positive (migrations/001_name.sql is version 1)");
  }
  bool taken = std::ranges::any_of(
      into_.migrations, [&](const auto& known) { return known.version == migration.version; });
  if (taken) {
    throw RegistryError("migration version " + std::to_string(migration.version) +
                        " is used twice; give each migration its own number");
  }
  into_.migrations.push_back(std::move(migration));
}

void RegistryRecorder::add_template(std::string name, std::string mustache) {
  if (name.empty()) throw RegistryError("add_template: the template has no name");
  if (!into_.templates.try_emplace(name, std::move(mustache)).second) {
    throw RegistryError("template '" + name + "' is added twice");
  }
}

void RegistryRecorder::add_messages(std::string locale, std::string yaml) {
  if (locale.empty()) throw RegistryError("add_messages: the catalogue has no locale");
  if (!into_.messages.try_emplace(locale, std::move(yaml)).second) {
    throw RegistryError("messages for locale '" + locale + "' are added twice");
  }
}

void RegistryRecorder::add_route(sdk::Route route) {
  std::string name = std::string(sdk::method_name(route.method)) + " " + route.pattern;
  if (route.pattern.empty() || route.pattern.front() != '/') {
    throw RegistryError("route " + name + ": a pattern starts with '/'");
  }
  if (!route.handler) throw RegistryError("route " + name + " has no handler");
  bool taken = std::ranges::any_of(into_.routes, [&](const auto& known) {
    return known.method == route.method && known.pattern == route.pattern;
  });
  if (taken) throw RegistryError("route " + name + " is added twice");
  into_.routes.push_back(std::move(route));
}

void RegistryRecorder::on_site_start(sdk::SiteHook hook) {
  if (!hook) throw RegistryError("on_site_start: the hook is empty");
  into_.site_hooks.push_back(std::move(hook));
}

void RegistryRecorder::on_event(std::string topic, sdk::EventHandler handler) {
  if (!handler) throw RegistryError("on_event: the handler for '" + topic + "' is empty");
  if (topic.empty() || topic == "*") {
    throw RegistryError("on_event: name the topic, e.g. \"order.paid\" (\"" + topic +
                        "\" is not one)");
  }
  into_.event_handlers.emplace_back(std::move(topic), std::move(handler));
}

void RegistryRecorder::every(std::chrono::seconds interval, sdk::SiteHook hook) {
  if (!hook) throw RegistryError("every: the hook is empty");
  // At most one run a minute per site keeps a plugin from crowding the kernel's own sweeps.
  if (interval < std::chrono::minutes(1) || interval > std::chrono::hours(24)) {
    throw RegistryError("every: the interval is " + std::to_string(interval.count()) +
                        " s; give 60 s to 86400 s (1 minute to 1 day)");
  }
  into_.periodic_hooks.emplace_back(interval, std::move(hook));
}

void RegistryRecorder::add_funnel_step(std::string name, sdk::FunnelStep count) {
  if (!count) throw RegistryError("add_funnel_step: the count for '" + name + "' is empty");
  if (!std::regex_match(name, std::regex("[a-z][a-z0-9_]{0,39}"))) {
    throw RegistryError(
        "add_funnel_step: '" + name +
        "' is not a step name; use lower-case letters, digits and '_' (at most 40)");
  }
  const bool taken =
      std::ranges::any_of(into_.funnel_steps, [&](const auto& step) { return step.first == name; });
  if (taken) throw RegistryError("add_funnel_step: step '" + name + "' is added twice");
  into_.funnel_steps.emplace_back(std::move(name), std::move(count));
}

void RegistryRecorder::set_section_check(sdk::SectionCheck check) {
  if (!check) throw RegistryError("set_section_check: the check is empty");
  if (into_.section_check) {
    throw RegistryError("set_section_check called twice; a plugin has one check for its section");
  }
  into_.section_check = std::move(check);
}

}  // namespace tribe::kernel::plugins
