#include "kernel/config/schema_validator.hpp"

#include <gtest/gtest.h>

#include "kernel/config/yaml_file.hpp"

namespace tribe::kernel::config {
namespace {

using sdk::Json;
using sdk::optional;
using sdk::required;
using sdk::Schema;

Schema blog_schema() {
  return Schema::object({
      required("title", Schema::string()),
      optional("count", Schema::integer()),
      optional("ratio", Schema::number()),
      optional("draft", Schema::boolean()),
      optional("lang", Schema::string().one_of({"zh-CN", "en"})),
      optional("tags", Schema::list_of(Schema::string())),
      optional("limits", Schema::map_of(Schema::integer())),
      optional("posts", Schema::list_of(Schema::object({required("slug", Schema::string()),
                                                        optional("title", Schema::string())}))),
  });
}

struct Result {
  Json value;
  std::vector<std::string> problems;
};

Result check(const std::string& text, const Schema& schema = blog_schema()) {
  Diagnostics out;
  const auto node = load_yaml_text(text, "blog.yaml", out);
  EXPECT_TRUE(node.has_value()) << "the YAML itself should load";
  Result result;
  if (node) result.value = validate(*node, schema, "blog.yaml", "", out);
  for (const auto& diagnostic : out) result.problems.push_back(diagnostic.to_string());
  return result;
}

using Lines = std::vector<std::string>;

TEST(Validate, ConvertsAValidDocumentWithTheSchemasTypes) {
  const auto result = check(
      "title: 2024\n"
      "count: -42\n"
      "ratio: 1.5e2\n"
      "draft: false\n"
      "lang: en\n"
      "tags: [a, 'b']\n"
      "limits: {daily: 3}\n"
      "posts:\n"
      "  - slug: first\n"
      "    title: true\n");
  EXPECT_TRUE(result.problems.empty());
  EXPECT_EQ(result.value, Json::parse(R"({"title": "2024", "count": -42, "ratio": 150.0,
      "draft": false, "lang": "en", "tags": ["a", "b"], "limits": {"daily": 3},
      "posts": [{"slug": "first", "title": "true"}]})"));
}

TEST(Validate, SuggestsTheKeyAMisspeltKeyWasMeantToBe) {
  EXPECT_EQ(check("title: a\ncount: 1\ncuont: 2\n").problems,
            Lines{"blog.yaml:3:1: cuont: unknown key 'cuont'; did you mean 'count'?"});
}

TEST(Validate, ListsTheKnownKeysWhenNoneIsClose) {
  const Schema schema =
      Schema::object({optional("a", Schema::string()), optional("b", Schema::string()),
                      optional("c", Schema::string())});
  EXPECT_EQ(check("a: x\nzzz: 1\n", schema).problems,
            Lines{"blog.yaml:2:1: zzz: unknown key 'zzz'; expected one of: a, b, c"});
}

TEST(Validate, NamesTheExpectedAndTheActualType) {
  EXPECT_EQ(check("title: [a]\n").problems,
            Lines{"blog.yaml:1:8: title: expected a string, got a list"});
  EXPECT_EQ(check("title: a\ncount: abc\n").problems,
            Lines{"blog.yaml:2:8: count: expected an integer, got a string"});
  EXPECT_EQ(check("title: a\ncount: 1.5\n").problems,
            Lines{"blog.yaml:2:8: count: expected an integer, got a string"});
  EXPECT_EQ(check("title: a\ncount: '5'\n").problems,
            Lines{"blog.yaml:2:8: count: expected an integer, got a string"});
  EXPECT_EQ(check("title: a\nratio: {x: 1}\n").problems,
            Lines{"blog.yaml:2:8: ratio: expected a number, got a mapping"});
  EXPECT_EQ(check("title: a\nratio: inf\n").problems,
            Lines{"blog.yaml:2:8: ratio: expected a number, got a string"});
  EXPECT_EQ(check("title: a\ntags: x\n").problems,
            Lines{"blog.yaml:2:7: tags: expected a list, got a string"});
  EXPECT_EQ(check("title: a\nposts: [x]\n").problems,
            Lines{"blog.yaml:2:9: posts[0]: expected a mapping, got a string"});
  EXPECT_EQ(check("- title\n").problems, Lines{"blog.yaml:1:1: expected a mapping, got a list"});
}

TEST(Validate, AcceptsOnlyTrueAndFalseAsBooleans) {
  EXPECT_EQ(check("title: a\ndraft: yes\n").problems,
            Lines{"blog.yaml:2:8: draft: expected true or false, got a string"});
  EXPECT_EQ(check("title: a\ndraft: \"true\"\n").problems,
            Lines{"blog.yaml:2:8: draft: expected true or false, got a string"});
  EXPECT_TRUE(check("title: a\ndraft: true\n").problems.empty());
}

TEST(Validate, ReportsAnIntegerTooLargeToHold) {
  EXPECT_EQ(check("title: a\ncount: 99999999999999999999\n").problems,
            Lines{"blog.yaml:2:8: count: '99999999999999999999' does not fit in a 64-bit "
                  "integer"});
}

TEST(Validate, TreatsAnEmptyValueAsNullNotAsAbsent) {
  EXPECT_EQ(check("title:\ncount: 1\n").problems,
            Lines{"blog.yaml:1:1: title: expected a string, got null"});
  EXPECT_EQ(check("title: a\ntags: [x, ~]\n").problems,
            Lines{"blog.yaml:2:11: tags[1]: expected a string, got null"});
}

TEST(Validate, ReportsAMissingRequiredKeyAtItsMapping) {
  EXPECT_EQ(check("count: 1\n").problems,
            Lines{"blog.yaml:1:1: title: missing required key 'title'"});
  EXPECT_EQ(check("title: a\nposts:\n  - slug: x\n  - title: y\n").problems,
            Lines{"blog.yaml:4:5: posts[1].slug: missing required key 'slug'"});
}

TEST(Validate, ReportsAValueOutsideTheAllowedOnes) {
  EXPECT_EQ(check("title: a\nlang: fr\n").problems,
            Lines{"blog.yaml:2:7: lang: 'fr' is not one of: zh-CN, en"});
}

TEST(Validate, ChecksEveryValueOfAMap) {
  EXPECT_EQ(check("title: a\nlimits: {daily: 3, weekly: many}\n").problems,
            Lines{"blog.yaml:2:28: limits.weekly: expected an integer, got a string"});
}

TEST(Validate, ReportsEveryProblemAndKeepsTheGoodParts) {
  const auto result = check(
      "titel: a\n"
      "count: x\n"
      "tags: [a, [b], c]\n"
      "posts:\n"
      "  - slug: one\n"
      "    tilte: One\n");
  EXPECT_EQ(result.problems,
            (Lines{"blog.yaml:1:1: titel: unknown key 'titel'; did you mean 'title'?",
                   "blog.yaml:2:8: count: expected an integer, got a string",
                   "blog.yaml:3:11: tags[1]: expected a string, got a list",
                   "blog.yaml:6:5: posts[0].tilte: unknown key 'tilte'; did you mean 'title'?",
                   "blog.yaml:1:1: title: missing required key 'title'"}));
  EXPECT_EQ(result.value, Json::parse(R"({"tags": ["a", "c"], "posts": [{"slug": "one"}]})"));
}

TEST(Validate, PrefixesPathsWithTheGivenPath) {
  Diagnostics out;
  const auto node = load_yaml_text("slug: 5\nbody: x\n", "s.yaml", out);
  ASSERT_TRUE(node.has_value());
  validate(*node, Schema::object({optional("slug", Schema::integer())}), "s.yaml",
           "interest.posts[2]", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].to_string(),
            "s.yaml:2:1: interest.posts[2].body: unknown key 'body'; expected one of: slug");
}

}  // namespace
}  // namespace tribe::kernel::config
