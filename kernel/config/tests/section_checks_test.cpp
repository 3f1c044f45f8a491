// A plugin's section check (sdk::Registry::set_section_check): what its schema cannot see in its
// section, reported at the key's file:line:col, run only on a section that passed the schema.
#include "kernel/config/section_checks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "interest_schema.hpp"
#include "kernel/config/site_config.hpp"
#include "temp_directory.hpp"
#include "tribe/sdk/did_you_mean.hpp"
#include "tribe/sdk/section_check.hpp"

namespace tribe::kernel::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const char* kSite =
    "id: club\n"
    "name: Club\n"
    "type: interest\n"
    "payments: {provider: manual}\n"
    "offers:\n"
    "  - {id: membership, kind: membership, title: M, price: 100, currency: CNY}\n"
    "interest:\n"
    "  posts:\n"
    "    - {slug: a, title: A, body: x, author: ann}\n"
    "    - {slug: b, title: B, body: y, author: bob}\n";

// Every post's author must be one of the site's offers' ids (a stand-in for a real reference).
std::vector<sdk::SectionProblem> authors_are_offers(const sdk::Json& section,
                                                    const std::vector<sdk::Offer>& offers) {
  std::vector<std::string> ids;
  for (const auto& offer : offers) ids.push_back(offer.id);
  std::vector<sdk::SectionProblem> problems;
  const sdk::Json& posts = section["posts"];
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const std::string author = posts[i]["author"];
    if (std::find(ids.begin(), ids.end(), author) == ids.end()) {
      problems.push_back({"posts[" + std::to_string(i) + "].author",
                          sdk::unknown_name("offer", author, "on this site", ids)});
    }
  }
  return problems;
}

class SectionChecks : public ::testing::Test {
 protected:
  std::vector<std::string> problems(const std::string& text, sdk::SectionCheck check) {
    SiteSchemaInputs inputs = interest_inputs();
    inputs.section_checks.emplace("interest", std::move(check));
    Diagnostics out;
    const auto site = SiteLoader(inputs).load(dir_.write("site.yaml", text), out);
    EXPECT_EQ(site.has_value(), out.empty());
    std::vector<std::string> lines;
    for (auto& diagnostic : out) {
      diagnostic.file = "site.yaml";
      lines.push_back(diagnostic.to_string());
    }
    return lines;
  }

  TempDirectory dir_;
};

TEST_F(SectionChecks, ReportEachProblemAtItsKeyWithTheSiteOffersInView) {
  EXPECT_THAT(
      problems(kSite, authors_are_offers),
      ElementsAre("site.yaml:9:44: interest.posts[0].author: no offer 'ann' on this site",
                  "site.yaml:10:44: interest.posts[1].author: no offer 'bob' on this site"));
  EXPECT_THAT(
      problems(std::string(kSite) + "    - {slug: c, title: C, body: z, author: membership}\n",
               [](const sdk::Json& section, const std::vector<sdk::Offer>& offers) {
                 auto found = authors_are_offers(section, offers);
                 found.erase(found.begin(), found.begin() + 2);
                 return found;
               }),
      IsEmpty());
}

TEST_F(SectionChecks, APathTheFileLacksPointsAtTheNearestKeyItHas) {
  auto check = [](const sdk::Json&, const std::vector<sdk::Offer>&) {
    return std::vector<sdk::SectionProblem>{{"posts[1].kol", "name the post's KOL"},
                                            {"posts[7].title", "no such post"},
                                            {"", "the section as a whole"}};
  };
  EXPECT_THAT(problems(kSite, check),
              ElementsAre("site.yaml:10:7: interest.posts[1].kol: name the post's KOL",
                          "site.yaml:9:5: interest.posts[7].title: no such post",
                          "site.yaml:8:3: interest: the section as a whole"));
}

TEST_F(SectionChecks, ACheckThatThrowsIsAProblemOfItsSection) {
  auto check = [](const sdk::Json&,
                  const std::vector<sdk::Offer>&) -> std::vector<sdk::SectionProblem> {
    throw std::runtime_error("index out of range");
  };
  EXPECT_THAT(problems(kSite, check),
              ElementsAre("site.yaml:8:3: interest: plugin 'interest' could not check its "
                          "section: index out of range (a bug in the plugin: report it to its "
                          "authors)"));
}

TEST_F(SectionChecks, RunOnlyOnASectionThatPassedItsSchema) {
  bool ran = false;
  auto check = [&](const sdk::Json&, const std::vector<sdk::Offer>&) {
    ran = true;
    return std::vector<sdk::SectionProblem>{};
  };
  // A schema problem in the section: the check would see a section of the wrong shape.
  EXPECT_THAT(problems(std::string(kSite) + "    - {slug: c, body: z}\n", check),
              ElementsAre("site.yaml:11:7: interest.posts[2].title: missing required key 'title'"));
  EXPECT_FALSE(ran);
  // A problem elsewhere in the file does not stop it.
  EXPECT_THAT(problems(std::string(kSite) + "locale: fr\n", check),
              ElementsAre("site.yaml:11:9: locale: 'fr' is not one of: zh-CN, en"));
  EXPECT_TRUE(ran);
}

TEST(SectionFindings, LookUpOffersAndWordUnknownOnesWithADidYouMean) {
  std::vector<sdk::Offer> offers(2);
  offers[0].id = "cohort-1";
  offers[1].id = "partner";
  sdk::SectionFindings found(offers);
  ASSERT_NE(found.offer("partner"), nullptr);
  EXPECT_EQ(found.offer("partner")->id, "partner");
  EXPECT_EQ(found.offer("nope"), nullptr);
  EXPECT_EQ(found.require_offer("cohorts[0].offer", "cohort-1"), &offers[0]);
  EXPECT_EQ(found.require_offer("cohorts[1].offer", "cohort-l"), nullptr);
  EXPECT_EQ(found.require_offer("entry_offer", "entry", "on this site (the default)"), nullptr);
  found.add("days", "at least one day");
  const auto problems = std::move(found).problems();
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].path, "cohorts[1].offer");
  EXPECT_EQ(problems[0].message, "no offer 'cohort-l' on this site; did you mean 'cohort-1'?");
  EXPECT_EQ(problems[1].message, "no offer 'entry' on this site (the default)");
  EXPECT_EQ(problems[2].path, "days");
}

TEST(NodeAt, WalksKeysAndIndexes) {
  const YAML::Node section = YAML::Load("posts:\n  - {slug: a}\n  - {slug: b, kol: ann}\n");
  EXPECT_EQ(node_at(section, "posts[1].kol").as<std::string>(), "ann");
  EXPECT_EQ(node_at(section, "posts[0].slug").as<std::string>(), "a");
  EXPECT_TRUE(node_at(section, "posts[5]").IsSequence());
  EXPECT_TRUE(node_at(section, "groups[0].id").IsMap());
  EXPECT_EQ(section["posts"].size(), 2u);  // the walk wrote nothing into the document
  EXPECT_FALSE(section["groups"].IsDefined());
}

}  // namespace
}  // namespace tribe::kernel::config
