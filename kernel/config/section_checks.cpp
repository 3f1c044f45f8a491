#include "kernel/config/section_checks.hpp"

#include <algorithm>
#include <exception>
#include <regex>

namespace tribe::kernel::config {
namespace {

// Whether out[first..] has a problem inside `plugin`'s section ("interest", "interest.posts[0]").
bool section_has_problems(const Diagnostics& out, std::size_t first, const std::string& plugin) {
  return std::any_of(
      out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), [&](const Diagnostic& problem) {
        const std::string& path = problem.path;
        return path == plugin || (path.starts_with(plugin) &&
                                  (path[plugin.size()] == '.' || path[plugin.size()] == '['));
      });
}

// The keys and indexes of "posts[2].kol": posts, 2, kol.
std::vector<std::string> steps_of(const std::string& path) {
  static const std::regex step(R"(([^.\[\]]+)|\[([0-9]+)\])");
  std::vector<std::string> steps;
  for (auto it = std::sregex_iterator(path.begin(), path.end(), step); it != std::sregex_iterator();
       ++it) {
    steps.push_back((*it)[1].matched ? (*it)[1].str() : "[" + (*it)[2].str() + "]");
  }
  return steps;
}

// Recursion instead of reassigning a YAML::Node, whose operator= would write into the document.
YAML::Node walk(const YAML::Node& node, const std::vector<std::string>& steps, std::size_t next) {
  if (next == steps.size()) return node;
  const std::string& step = steps[next];
  if (step.starts_with('[')) {
    const std::size_t index = std::stoul(step.substr(1, step.size() - 2));
    if (node.IsSequence() && index < node.size()) return walk(node[index], steps, next + 1);
    return node;
  }
  if (node.IsMap() && node[step].IsDefined()) return walk(node[step], steps, next + 1);
  return node;
}

}  // namespace

YAML::Node node_at(const YAML::Node& section, const std::string& path) {
  return walk(section, steps_of(path), 0);
}

void check_sections(const YAML::Node& root, const sdk::Json& site,
                    const std::vector<sdk::Offer>& offers,
                    const std::map<std::string, sdk::SectionCheck>& checks, const std::string& file,
                    std::size_t first_of_file, Diagnostics& out) {
  for (const auto& [plugin, check] : checks) {
    if (!check || !site.contains(plugin) || section_has_problems(out, first_of_file, plugin)) {
      continue;
    }
    const YAML::Node section = root[plugin];
    auto report = [&](const YAML::Node& node, const std::string& path, std::string message) {
      out.push_back({file, node.Mark().line + 1, node.Mark().column + 1, path, std::move(message)});
    };
    try {
      for (const auto& problem : check(site[plugin], offers)) {
        const std::string path =
            problem.path.empty()
                ? plugin
                : plugin + (problem.path.starts_with('[') ? "" : ".") + problem.path;
        report(node_at(section, problem.path), path, problem.message);
      }
    } catch (const std::exception& e) {
      report(section, plugin,
             "plugin '" + plugin + "' could not check its section: " + e.what() +
                 " (a bug in the plugin: report it to its authors)");
    }
  }
}

}  // namespace tribe::kernel::config
