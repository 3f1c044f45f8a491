#include "kernel/config/site_config.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "interest_schema.hpp"
#include "temp_directory.hpp"

namespace tribe::kernel::config {
namespace {

using Lines = std::vector<std::string>;

Lines lines_of(const Diagnostics& diagnostics) {
  Lines lines;
  for (const auto& diagnostic : diagnostics) lines.push_back(diagnostic.to_string());
  return lines;
}

class SiteLoading : public ::testing::Test {
 protected:
  // Loads `text` as the file site.yaml and returns the diagnostics, file name cut to "site.yaml".
  Lines problems(const std::string& text, const SiteSchemaInputs& inputs = interest_inputs()) {
    Diagnostics out;
    const auto site = SiteLoader(inputs).load(dir_.write("site.yaml", text), out);
    EXPECT_EQ(site.has_value(), out.empty());
    for (auto& diagnostic : out) diagnostic.file = "site.yaml";
    return lines_of(out);
  }

  TempDirectory dir_;
};

TEST_F(SiteLoading, ReadsEveryKernelKeyAndThePluginSection) {
  const auto file = dir_.write("reading.yaml",
                               "id: reading-club\n"
                               "name: 读书会\n"
                               "type: interest\n"
                               "description: books every week\n"
                               "locale: en\n"
                               "hosts: [Reading.Example.COM, club.test]\n"
                               "theme: {accent: '#c00', logo: logo.png}\n"
                               "interest:\n"
                               "  tagline: read together\n");
  Diagnostics out;
  const auto site = SiteLoader(interest_inputs()).load(file, out);
  ASSERT_TRUE(site.has_value()) << (out.empty() ? "" : out[0].to_string());
  EXPECT_EQ(site->file, file);
  EXPECT_EQ(site->id, "reading-club");
  EXPECT_EQ(site->name, "读书会");
  EXPECT_EQ(site->type, "interest");
  EXPECT_EQ(site->description, "books every week");
  EXPECT_EQ(site->locale, "en");
  EXPECT_EQ(site->hosts, (Lines{"reading.example.com", "club.test"}));
  EXPECT_EQ(site->theme, sdk::Json::parse(R"({"accent": "#c00", "logo": "logo.png"})"));
  ASSERT_EQ(site->sections.count("interest"), 1u);
  EXPECT_EQ(site->sections.at("interest"), sdk::Json::parse(R"({"tagline": "read together"})"));
}

TEST_F(SiteLoading, DefaultsTheOptionalKeys) {
  Diagnostics out;
  const auto site = SiteLoader(interest_inputs())
                        .load(dir_.write("min.yaml", "id: min\nname: Min\ntype: interest\n"), out);
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(site->locale, "zh-CN");
  EXPECT_TRUE(site->hosts.empty());
  EXPECT_EQ(site->theme, sdk::Json::object());
  EXPECT_TRUE(site->sections.empty());
}

TEST_F(SiteLoading, RefusesAnIdThatIsNotLowerCaseLettersDigitsAndDashes) {
  EXPECT_EQ(problems("id: Reading_Club\nname: R\ntype: interest\n"),
            Lines{"site.yaml:1:5: id: site id 'Reading_Club' must be lower-case letters, "
                  "digits and '-'"});
  EXPECT_EQ(problems("id: -club\nname: R\ntype: interest\n"),
            Lines{"site.yaml:1:5: id: site id '-club' must be lower-case letters, digits and "
                  "'-', starting with a letter or digit"});
  EXPECT_EQ(problems("id: " + std::string(64, 'a') + "\nname: R\ntype: interest\n"),
            Lines{"site.yaml:1:5: id: site id '" + std::string(64, 'a') +
                  "' must be lower-case letters, digits and '-', at most 63 characters"});
  EXPECT_TRUE(problems("id: " + std::string(63, 'a') + "\nname: R\ntype: interest\n").empty());
}

TEST_F(SiteLoading, RefusesACommunityTypeNoPluginProvides) {
  EXPECT_EQ(problems("id: a\nname: A\ntype: intrest\n"),
            Lines{"site.yaml:3:7: type: unknown community type 'intrest'; did you mean "
                  "'interest'?"});
  EXPECT_EQ(problems("id: a\nname: A\ntype: marketplace\n"),
            Lines{"site.yaml:3:7: type: unknown community type 'marketplace'; no loaded plugin "
                  "provides it"});
  EXPECT_EQ(problems("id: a\nname: A\ntype: interest\n", SiteSchemaInputs{}),
            Lines{"site.yaml:3:7: type: unknown community type 'interest'; no loaded plugin "
                  "provides it"});
}

TEST_F(SiteLoading, RefusesAHostWithPortOrPath) {
  EXPECT_EQ(problems("id: a\nname: A\ntype: interest\nhosts:\n  - a.test:8080\n  - b.test/x\n"
                     "  - B.TEST\n  - b.test\n"),
            (Lines{"site.yaml:5:5: hosts[0]: host 'a.test:8080' must be a bare host name "
                   "without port or path",
                   "site.yaml:6:5: hosts[1]: host 'b.test/x' must be a bare host name without "
                   "port or path",
                   "site.yaml:8:5: hosts[3]: host 'b.test' is listed twice"}));
}

TEST_F(SiteLoading, SuggestsKernelKeysAndPluginSections) {
  EXPECT_EQ(
      problems("id: a\nnmae: A\ntype: interest\ninterst: {}\nzzzzzz: 1\n"),
      (Lines{"site.yaml:2:1: nmae: unknown key 'nmae'; did you mean 'name'?",
             "site.yaml:4:1: interst: unknown key 'interst'; did you mean 'interest'?",
             "site.yaml:5:1: zzzzzz: unknown key 'zzzzzz'; expected one of: id, name, "
             "type, description, locale, hosts, theme, admins, tags, offers, payments, ladder, "
             "referral, "
             "interest",
             "site.yaml:1:1: name: missing required key 'name'"}));
}

TEST_F(SiteLoading, ValidatesThePluginSectionWithItsSchema) {
  EXPECT_EQ(problems("id: a\nname: A\ntype: interest\ninterest:\n  posts:\n    - slug: s\n"
                     "      titel: T\n      body: B\n      tags: 5\n"),
            (Lines{"site.yaml:7:7: interest.posts[0].titel: unknown key 'titel'; did you mean "
                   "'title'?",
                   "site.yaml:9:13: interest.posts[0].tags: expected a list, got a string",
                   "site.yaml:6:7: interest.posts[0].title: missing required key 'title'"}));
}

TEST(SiteLoader, RefusesAPluginSectionNamedLikeAKernelKey) {
  SiteSchemaInputs inputs;
  inputs.plugin_sections.emplace("theme", sdk::Schema::string());
  EXPECT_THROW(SiteLoader{inputs}, std::invalid_argument);
}

TEST(SiteLoader, LoadsADirectoryInNameOrderLeavingOutClashes) {
  TempDirectory dir;
  dir.write("b-second.yml", "id: second\nname: S\ntype: interest\nhosts: [two.test]\n");
  dir.write("a-first.yaml", "id: first\nname: F\ntype: interest\nhosts: [one.test]\n");
  const auto same_id = dir.write("c-same-id.yaml", "name: C\ntype: interest\nid: first\n");
  const auto same_host = dir.write(
      "d-same-host.yaml", "id: fourth\nname: D\ntype: interest\nhosts: [x.test, ONE.test]\n");
  const auto broken = dir.write("e-broken.yaml", "id: fifth\nname: E\n");
  dir.write("notes.txt", "not a site: {");
  Diagnostics out;
  const auto sites = SiteLoader(interest_inputs()).load_directory(dir.path(), out);
  Lines ids;
  for (const auto& site : sites) ids.push_back(site.id);
  EXPECT_EQ(ids, (Lines{"first", "second"}));
  const std::string first = (dir.path() / "a-first.yaml").string();
  EXPECT_EQ(lines_of(out),
            (Lines{same_id.string() + ":3:5: id: site id 'first' is already used by " + first,
                   same_host.string() +
                       ":4:17: hosts[1]: host 'one.test' is already used by site 'first'",
                   broken.string() + ":1:1: type: missing required key 'type'"}));
}

TEST(SiteLoader, ReportsADirectoryThatCannotBeRead) {
  TempDirectory dir;
  Diagnostics out;
  EXPECT_TRUE(SiteLoader(interest_inputs()).load_directory(dir.path() / "none", out).empty());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message, "cannot read directory: No such file or directory");
}

}  // namespace
}  // namespace tribe::kernel::config
