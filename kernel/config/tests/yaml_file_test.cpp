#include "kernel/config/yaml_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "kernel/config/diagnostic.hpp"
#include "temp_directory.hpp"

namespace tribe::kernel::config {
namespace {

Diagnostics problems_in(const std::string& text, const YamlLimits& limits = {}) {
  Diagnostics out;
  const auto node = load_yaml_text(text, "site.yaml", out, limits);
  EXPECT_EQ(node.has_value(), out.empty());
  return out;
}

std::vector<std::string> lines_of(const Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  for (const auto& diagnostic : diagnostics) lines.push_back(diagnostic.to_string());
  return lines;
}

TEST(Diagnostic, PrintsPathWhenThereIsOne) {
  EXPECT_EQ((Diagnostic{"a.yaml", 3, 7, "interest.posts[2].title", "boom"}).to_string(),
            "a.yaml:3:7: interest.posts[2].title: boom");
  EXPECT_EQ((Diagnostic{"a.yaml", 1, 1, "", "boom"}).to_string(), "a.yaml:1:1: boom");
}

TEST(Diagnostic, SortsByFileLineThenColumnKeepingTies) {
  Diagnostics diagnostics = {{"b", 1, 1, "", "4"},
                             {"a", 2, 1, "", "3"},
                             {"a", 1, 5, "", "2"},
                             {"a", 1, 1, "", "0"},
                             {"a", 1, 1, "", "1"}};
  sort_by_position(diagnostics);
  std::string order;
  for (const auto& diagnostic : diagnostics) order += diagnostic.message;
  EXPECT_EQ(order, "01234");
}

TEST(YamlText, LoadsOneDocument) {
  Diagnostics out;
  const auto node = load_yaml_text("id: demo\nlist: [1, 2]\n", "site.yaml", out);
  ASSERT_TRUE(node.has_value());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ((*node)["id"].as<std::string>(), "demo");
  EXPECT_EQ((*node)["list"].size(), 2u);
}

TEST(YamlText, ReportsADuplicateKeyAtItsSecondOccurrence) {
  EXPECT_EQ(lines_of(problems_in("name: a\nid: b\nname: c\n")),
            std::vector<std::string>{
                "site.yaml:3:1: name: duplicate key 'name' (first at line 1, column 1)"});
}

TEST(YamlText, ReportsEveryDuplicateWithItsFullPath) {
  const std::string text =
      "interest:\n"
      "  posts:\n"
      "    - slug: a\n"
      "      title: one\n"
      "      title: two\n"
      "    - {slug: b, slug: c}\n"
      "id: x\n"
      "id: y\n";
  EXPECT_EQ(lines_of(problems_in(text)),
            (std::vector<std::string>{
                "site.yaml:5:7: interest.posts[0].title: duplicate key 'title' (first at line 4, "
                "column 7)",
                "site.yaml:6:17: interest.posts[1].slug: duplicate key 'slug' (first at line 6, "
                "column 8)",
                "site.yaml:8:1: id: duplicate key 'id' (first at line 7, column 1)"}));
}

TEST(YamlText, SameKeyInSiblingMappingsIsNoDuplicate) {
  EXPECT_TRUE(problems_in("a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2}]\n").empty());
}

TEST(YamlText, RefusesNestingDeeperThanTheLimit) {
  EXPECT_TRUE(problems_in(std::string(64, '[') + std::string(64, ']') + "\n").empty());
  EXPECT_EQ(lines_of(problems_in(std::string(70, '[') + std::string(70, ']') + "\n")),
            std::vector<std::string>{"site.yaml:1:65: nesting is deeper than 64 levels"});
}

TEST(YamlText, RefusesDeepBlockMappingsAtTheLevelThatIsTooDeep) {
  std::string text;
  for (int level = 0; level < 5; ++level) {
    text += std::string(2 * level, ' ') + "k" + std::to_string(level) + ":\n";
  }
  text += std::string(10, ' ') + "leaf: 1\n";
  YamlLimits limits;
  limits.max_depth = 4;
  EXPECT_EQ(lines_of(problems_in(text, limits)),
            std::vector<std::string>{"site.yaml:5:9: nesting is deeper than 4 levels"});
}

TEST(YamlText, RefusesTextOverTheSizeLimitBeforeParsing) {
  YamlLimits limits;
  limits.max_bytes = 10;
  EXPECT_EQ(lines_of(problems_in("a: [[[[[[[\n", limits)),
            std::vector<std::string>{"site.yaml:1:1: file is 11 bytes; the limit is 10 bytes"});
}

TEST(YamlText, ReportsSyntaxErrorsOneBased) {
  EXPECT_EQ(
      lines_of(problems_in("a: [1, 2\nb: 3\n")),
      std::vector<std::string>{"site.yaml:2:2: syntax error: end of sequence flow not found"});
  EXPECT_EQ(lines_of(problems_in("a: b: c\n")),
            std::vector<std::string>{"site.yaml:1:5: syntax error: illegal map value"});
}

TEST(YamlText, ReportsAnUnterminatedStringAtItsOpeningQuote) {
  const std::vector<std::string> expected = {
      "site.yaml:2:7: syntax error: end of string not found"};
  EXPECT_EQ(lines_of(problems_in("id: a\nname: \"abc\ntype: x\n")), expected);
  EXPECT_EQ(lines_of(problems_in("id: a\nname: \"abc")), expected);
  EXPECT_EQ(lines_of(problems_in("id: a\nname: 'it''s\n")), expected);
  EXPECT_TRUE(problems_in("a: \"say \\\"hi\\\"\"\nb: 'it''s'\nc: \"two\n  lines\"\n").empty());
}

TEST(YamlText, AllowsOnlyOneDocument) {
  EXPECT_EQ(lines_of(problems_in("a: 1\n---\nb: 2\n")),
            std::vector<std::string>{"site.yaml:2:1: a site file holds one YAML document"});
  EXPECT_TRUE(problems_in("---\na: 1\n").empty());
}

TEST(YamlText, RefusesAnAliasInsideItsOwnAnchor) {
  EXPECT_EQ(
      lines_of(problems_in("a: &x [1, *x]\n")),
      std::vector<std::string>{"site.yaml:1:11: this alias refers to a node that contains it"});
}

TEST(YamlText, CountsNodesWithAliasesExpanded) {
  const std::string laughs =
      "a: &a [x, x, x, x]\n"
      "b: &b [*a, *a, *a, *a]\n"
      "c: &c [*b, *b, *b, *b]\n"
      "d: [*c, *c, *c, *c]\n";
  EXPECT_TRUE(problems_in(laughs).empty());
  YamlLimits limits;
  limits.max_nodes = 200;
  EXPECT_EQ(lines_of(problems_in(laughs, limits)),
            std::vector<std::string>{
                "site.yaml:4:5: the document has more than 200 nodes once its aliases are "
                "expanded"});
}

TEST(YamlFile, LoadsARealFile) {
  TempDirectory dir;
  const auto file = dir.write("site.yaml", "id: demo\n");
  Diagnostics out;
  const auto node = load_yaml_file(file, out);
  ASSERT_TRUE(node.has_value());
  EXPECT_EQ((*node)["id"].as<std::string>(), "demo");
}

TEST(YamlFile, ReportsAFileThatCannotBeRead) {
  TempDirectory dir;
  const auto missing = dir.path() / "missing.yaml";
  Diagnostics out;
  EXPECT_FALSE(load_yaml_file(missing, out).has_value());
  EXPECT_EQ(lines_of(out),
            std::vector<std::string>{missing.string() + ":1:1: cannot read file: No such file or "
                                                        "directory"});
}

TEST(YamlFile, ChecksTheSizeBeforeReading) {
  TempDirectory dir;
  const auto file = dir.write("big.yaml", std::string(2000, '#') + "\n");
  YamlLimits limits;
  limits.max_bytes = 1000;
  Diagnostics out;
  EXPECT_FALSE(load_yaml_file(file, out, limits).has_value());
  EXPECT_EQ(lines_of(out),
            std::vector<std::string>{file.string() + ":1:1: file is 2001 bytes; the limit is 1000 "
                                                     "bytes"});
}

}  // namespace
}  // namespace tribe::kernel::config
