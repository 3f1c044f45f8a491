// The interest plugin's own rules (its KOLs, what the schema cannot see in its section), and the
// plugin loaded from its .so into a real kernel instance on a real SQLite file: posts, KOL pages,
// sponsored posts labelled wherever they appear, the shop, its YAML section checked with
// file:line:col, the shipped demo sites served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "../kols.hpp"
#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::interest {
namespace {

using testing::line_of;
using testing::shown;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// --- the KOLs and the references the schema cannot see ---------------------------------------

sdk::Json section() {
  return sdk::Json::parse(R"({
    "groups": [{"id": "tea", "title": "Tea table"}],
    "kols": [{"id": "ann", "name": "Ann Lee", "title": "Host", "bio": "b", "group": "tea"},
             {"id": "bob", "name": "Bob"}],
    "posts": [{"slug": "a", "title": "A", "body": "x", "kol": "ann"},
              {"slug": "b", "title": "B", "body": "y", "sponsor": "Tea Co",
               "sponsor_link": "https://tea.example/"}]})");
}

TEST(Kols, ComeFromTheSectionInOrderAndAreFoundById) {
  const std::vector<Kol> kols = kols_from(section());
  ASSERT_EQ(kols.size(), 2u);
  EXPECT_EQ(kols[0].name, "Ann Lee");
  EXPECT_EQ(kols[0].title, "Host");
  EXPECT_EQ(kols[0].group, "tea");
  EXPECT_EQ(kols[1].title, "");
  EXPECT_EQ(kols[1].group, "");
  ASSERT_NE(find_kol(kols, "bob"), nullptr);
  EXPECT_EQ(find_kol(kols, "bob")->name, "Bob");
  EXPECT_EQ(find_kol(kols, "carl"), nullptr);
  EXPECT_EQ(find_kol(kols, ""), nullptr);
  EXPECT_TRUE(kols_from(sdk::Json()).empty());
  EXPECT_TRUE(kols_from(sdk::Json::object()).empty());
}

TEST(Kols, OnlyHttpAddressesAreShownAsSponsorLinks) {
  EXPECT_TRUE(is_web_link("https://tea.example/"));
  EXPECT_TRUE(is_web_link("http://tea.example/a?b=c"));
  EXPECT_FALSE(is_web_link("javascript:alert(1)"));
  EXPECT_FALSE(is_web_link("tea.example"));
  EXPECT_FALSE(is_web_link("https://tea.example/\" onmouseover=\"x"));
  EXPECT_FALSE(is_web_link(""));
}

TEST(Kols, AConsistentSectionHasNoReferenceProblems) {
  EXPECT_THAT(reference_problems(section(), {}), ::testing::IsEmpty());
  EXPECT_THAT(reference_problems(sdk::Json::object(), {}), ::testing::IsEmpty());
}

TEST(Kols, UnknownKolOrGroupDuplicateIdAndBadSponsorLinkAreEachNamedByTheirPath) {
  sdk::Json bad = section();
  bad["posts"][0]["kol"] = "anne";
  bad["posts"][1]["sponsor_link"] = "javascript:alert(1)";
  bad["posts"].push_back(
      {{"slug", "c"}, {"title", "C"}, {"body", "z"}, {"sponsor_link", "https://x.example/"}});
  bad["kols"][1]["group"] = "coffee";
  bad["kols"].push_back({{"id", "ann"}, {"name", "Another Ann"}});
  EXPECT_THAT(shown(reference_problems(bad)),
              ElementsAre("kols[2].id: the KOL id 'ann' is given twice; give each KOL its own id",
                          "kols[1].group: no group 'coffee' in interest.groups",
                          "posts[0].kol: no KOL 'anne' in interest.kols; did you mean 'ann'?",
                          "posts[1].sponsor_link: 'javascript:alert(1)' is not an http(s) "
                          "address; write e.g. https://example.com/",
                          "posts[2].sponsor_link: a sponsor link needs the sponsor's name "
                          "(sponsor: ...)"));
  bad["kols"][1]["group"] = "tea-";
  EXPECT_THAT(shown(reference_problems(bad)),
              ::testing::Contains("kols[1].group: no group 'tea-' in interest.groups; "
                                  "did you mean 'tea'?"));
}

// --- the plugin in a kernel instance ----------------------------------------------------------

const char* kSite = R"(id: club
name: Club <One>
type: interest
locale: en
hosts: [club.localhost]
interest:
  tagline: Books & tea
  groups:
    - id: tea
      title: Tea table
      description: Every Sunday.
  kols:
    - id: ann
      name: Ann Lee
      title: Host of the tea table
      bio: |
        Reads <b>everything</b>.

        Pours the tea.
      group: tea
    - id: bob
      name: Bob
  posts:
    - slug: first
      title: First post
      author: Ann
      kol: ann
      tags: [news]
      body: |
        Hello <script>alert(1)</script>

        Second paragraph.
    - slug: second
      title: Second post
      kol: ann
      sponsor: Tea & Co
      sponsor_link: https://tea.example/
      body: Plain.
)";

// How many times `needle` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

constexpr const char* kLabel = "<span class=\"label sponsored\">Sponsored</span>";

class InterestPluginTest : public testing::PluginInstanceTest {
 protected:
  InterestPluginTest() : PluginInstanceTest("club") {}

  void SetUp() override {
    PluginInstanceTest::SetUp();
    write_site(kSite);
  }

  // The instance loaded without problems, its storage prepared and its routes mounted.
  std::unique_ptr<kernel::instance::Instance> start() {
    auto instance = load();
    EXPECT_TRUE(instance->diagnostics().empty());
    instance->prepare_storage();
    instance->mount_routes();
    return instance;
  }
};

TEST_F(InterestPluginTest, SeedsPostsFromYamlInOrder) {
  auto instance = start();
  auto response = get(*instance, "/api/posts");
  ASSERT_EQ(response.status, 200);
  auto json = sdk::Json::parse(response.body);
  EXPECT_EQ(json["site"], "club");
  ASSERT_EQ(json["posts"].size(), 2u);
  EXPECT_EQ(json["posts"][0]["slug"], "first");
  EXPECT_EQ(json["posts"][0]["author"], "Ann");
  EXPECT_EQ(json["posts"][0]["tags"], sdk::Json::array({"news"}));
  EXPECT_FALSE(json["posts"][0].contains("body"));
  EXPECT_EQ(json["posts"][1]["url"], "/posts/second");
}

TEST_F(InterestPluginTest, ReseedingRefreshesChangedPostsAndKeepsTheRest) {
  start();
  std::string changed = kSite;
  changed.replace(changed.find("First post"), 10, "First, edited");
  changed.erase(changed.find("    - slug: second"));
  write_site(changed);
  auto instance = start();
  auto json = sdk::Json::parse(get(*instance, "/api/posts").body);
  ASSERT_EQ(json["posts"].size(), 2u) << "a post removed from the YAML is kept";
  EXPECT_EQ(json["posts"][0]["title"], "First, edited");
}

TEST_F(InterestPluginTest, HomePageListsPostsInTheLayout) {
  auto instance = start();
  auto response = get(*instance, "/");
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("Club &lt;One&gt;"), std::string::npos);
  EXPECT_NE(response.body.find("Books &amp; tea"), std::string::npos);
  EXPECT_NE(response.body.find("<a href=\"/posts/first\">First post</a>"), std::string::npos);
  EXPECT_NE(response.body.find("Latest posts"), std::string::npos) << "English catalogue";
}

TEST_F(InterestPluginTest, PostPageEscapesContent) {
  auto instance = start();
  auto response = get(*instance, "/posts/first");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body.find("<script>alert(1)</script>"), std::string::npos);
  EXPECT_NE(response.body.find("Hello &lt;script&gt;"), std::string::npos);
  EXPECT_NE(response.body.find("<p>Second paragraph.</p>"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("#news"), std::string::npos);
}

TEST_F(InterestPluginTest, UnknownPostIs404InTheSitesLanguage) {
  auto instance = start();
  auto page = get(*instance, "/posts/none");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("There is no such post on this site."), std::string::npos);
  auto api = get(*instance, "/api/posts/none");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(sdk::Json::parse(api.body)["error"]["request_id"], "test-request");
}

TEST_F(InterestPluginTest, ChineseSiteGetsChineseMessages) {
  std::string chinese = kSite;
  chinese.replace(chinese.find("locale: en"), 10, "locale: zh-CN");
  write_site(chinese);
  auto instance = start();
  const std::string home = get(*instance, "/").body;
  EXPECT_NE(home.find("最新文章"), std::string::npos);
  EXPECT_EQ(occurrences(home, "<span class=\"label sponsored\">赞助</span>"), 1u);
  EXPECT_EQ(sdk::Json::parse(get(*instance, "/api/posts/second").body)["sponsor"]["label"], "赞助");
}

TEST_F(InterestPluginTest, KolsPageListsEachKolWithTheirPostsAndGroup) {
  auto instance = start();
  const auto page = get(*instance, "/kols");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<a href=\"/kols/ann\"><strong>Ann Lee</strong></a>"));
  EXPECT_THAT(page.body, HasSubstr("Host of the tea table"));
  EXPECT_THAT(page.body, HasSubstr("2 posts"));
  EXPECT_THAT(page.body, HasSubstr("<a href=\"/groups/tea\">Tea table</a>"));
  EXPECT_THAT(page.body, HasSubstr("<a href=\"/kols/bob\"><strong>Bob</strong></a>"));
  EXPECT_THAT(page.body, HasSubstr("0 posts"));

  const sdk::Json list = sdk::Json::parse(get(*instance, "/api/kols").body);
  EXPECT_EQ(list["site"], "club");
  ASSERT_EQ(list["kols"].size(), 2u);
  EXPECT_EQ(list["kols"][0]["id"], "ann");
  EXPECT_EQ(list["kols"][0]["posts"], 2);
  EXPECT_EQ(list["kols"][0]["url"], "/kols/ann");
  EXPECT_EQ(list["kols"][0]["group"]["title"], "Tea table");
  EXPECT_EQ(list["kols"][1]["posts"], 0);
  EXPECT_TRUE(list["kols"][1]["group"].is_null());
}

TEST_F(InterestPluginTest, KolPageShowsTheBioTheirPostsAndTheGroupTheyLead) {
  auto instance = start();
  const auto page = get(*instance, "/kols/ann");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<title>Ann Lee · Club &lt;One&gt;</title>"));
  EXPECT_THAT(page.body, HasSubstr("<h1>Ann Lee</h1>"));
  EXPECT_THAT(page.body, HasSubstr("<p>Reads &lt;b&gt;everything&lt;/b&gt;.</p>"));  // escaped
  EXPECT_THAT(page.body, HasSubstr("<p>Pours the tea.</p>"));
  EXPECT_THAT(page.body, HasSubstr("Leads <a href=\"/groups/tea\">Tea table</a>"));
  EXPECT_THAT(page.body, HasSubstr("<a href=\"/posts/first\">First post</a>"));
  EXPECT_THAT(page.body, HasSubstr("<a href=\"/posts/second\">Second post</a>"));
  EXPECT_LT(page.body.find("/posts/first"), page.body.find("/posts/second"));  // site order

  const sdk::Json kol = sdk::Json::parse(get(*instance, "/api/kols/ann").body);
  EXPECT_EQ(kol["name"], "Ann Lee");
  EXPECT_EQ(kol["group"]["url"], "/groups/tea");
  ASSERT_EQ(kol["posts"].size(), 2u);
  EXPECT_EQ(kol["posts"][0]["slug"], "first");
  EXPECT_EQ(kol["posts"][1]["author"], "Ann Lee");  // no author of its own: the KOL's name
  EXPECT_FALSE(kol["posts"][0].contains("body"));

  const auto empty = get(*instance, "/kols/bob");
  ASSERT_EQ(empty.status, 200);
  EXPECT_THAT(empty.body, HasSubstr("No posts yet."));
  EXPECT_THAT(empty.body, Not(HasSubstr("Leads")));
}

TEST_F(InterestPluginTest, UnknownKolIs404OnThePageAndInTheJson) {
  auto instance = start();
  const auto page = get(*instance, "/kols/carl");
  EXPECT_EQ(page.status, 404);
  EXPECT_THAT(page.body, HasSubstr("There is no such KOL on this site."));
  const auto api = get(*instance, "/api/kols/carl");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(sdk::Json::parse(api.body)["error"]["request_id"], "test-request");
}

TEST_F(InterestPluginTest, PostsByAKolLinkToTheirPage) {
  auto instance = start();
  const sdk::Json posts = sdk::Json::parse(get(*instance, "/api/posts").body)["posts"];
  EXPECT_EQ(posts[0]["kol"], sdk::Json({{"id", "ann"}, {"name", "Ann Lee"}, {"url", "/kols/ann"}}));
  EXPECT_EQ(posts[0]["author"], "Ann");  // its own author line wins, linked to the KOL
  EXPECT_THAT(get(*instance, "/").body, HasSubstr("· <a href=\"/kols/ann\">Ann</a>"));
  EXPECT_THAT(get(*instance, "/posts/second").body, HasSubstr("<a href=\"/kols/ann\">Ann Lee</a>"));
}

// The sponsored post carries the label on the home page, its page, the KOL's page and in the
// JSON; the unsponsored one nowhere.
TEST_F(InterestPluginTest, SponsoredPostIsLabelledWhereverItAppearsAndOthersAreNot) {
  auto instance = start();
  const std::string home = get(*instance, "/").body;
  EXPECT_EQ(occurrences(home, kLabel), 1u);
  EXPECT_THAT(home, HasSubstr("<a href=\"/posts/second\">Second post</a> " + std::string(kLabel)));

  const std::string sponsored = get(*instance, "/posts/second").body;
  EXPECT_EQ(occurrences(sponsored, kLabel), 1u);
  EXPECT_THAT(sponsored,
              HasSubstr("<a href=\"https://tea.example/\" rel=\"sponsored noopener\">Tea &amp; "
                        "Co</a>"));
  const std::string plain = get(*instance, "/posts/first").body;
  EXPECT_THAT(plain, Not(HasSubstr("Sponsored")));
  EXPECT_THAT(plain, Not(HasSubstr("Tea &amp; Co")));

  const std::string kol = get(*instance, "/kols/ann").body;
  EXPECT_EQ(occurrences(kol, kLabel), 1u);
  EXPECT_THAT(kol, HasSubstr("<a href=\"/posts/second\">Second post</a> " + std::string(kLabel)));

  const sdk::Json sponsor = {
      {"name", "Tea & Co"}, {"label", "Sponsored"}, {"link", "https://tea.example/"}};
  const sdk::Json posts = sdk::Json::parse(get(*instance, "/api/posts").body)["posts"];
  EXPECT_TRUE(posts[0]["sponsor"].is_null());
  EXPECT_EQ(posts[1]["sponsor"], sponsor);
  EXPECT_FALSE(posts[1].contains("sponsor_link"));
  EXPECT_EQ(sdk::Json::parse(get(*instance, "/api/posts/second").body)["sponsor"], sponsor);
  EXPECT_TRUE(sdk::Json::parse(get(*instance, "/api/posts/first").body)["sponsor"].is_null());
  const sdk::Json kol_posts = sdk::Json::parse(get(*instance, "/api/kols/ann").body)["posts"];
  EXPECT_TRUE(kol_posts[0]["sponsor"].is_null());
  EXPECT_EQ(kol_posts[1]["sponsor"], sponsor);
}

// What the schema cannot see (a sponsor link that is no web address, a post naming a KOL the
// section does not have) is the plugin's section check: file:line:col errors at the key, with a
// did-you-mean, and the site is not served until the YAML is fixed.
TEST_F(InterestPluginTest, ReferenceMistakesAreReportedAtTheirKeysAndTheSiteIsNotServed) {
  std::string yaml = kSite;
  yaml.replace(yaml.find("https://tea.example/"), 20, "javascript:alert(1)");
  yaml.replace(yaml.find("      kol: ann\n      sponsor"), 14, "      kol: anne");
  write_site(yaml);
  auto instance = load();
  EXPECT_THAT(
      problems(*instance),
      ElementsAre(
          HasSubstr("club.yaml:" + std::to_string(line_of(yaml, "kol: anne")) +
                    ":12: interest.posts[1].kol: no KOL 'anne' in interest.kols; did "
                    "you mean 'ann'?"),
          HasSubstr("club.yaml:" + std::to_string(line_of(yaml, "sponsor_link: javascript")) +
                    ":21: interest.posts[1].sponsor_link: 'javascript:alert(1)' is not "
                    "an http(s) address; write e.g. https://example.com/")));
  EXPECT_TRUE(instance->site_configs().empty());
}

TEST_F(InterestPluginTest, MistakesInTheKolsSectionAreReportedWithTheirPositions) {
  std::string yaml = kSite;
  yaml.replace(yaml.find("      name: Bob"), 15, "      nmae: Bob");
  yaml.replace(yaml.find("      group: tea"), 16, "      group: [tea]");
  write_site(yaml);
  auto instance = load();
  const auto lines = problems(*instance);
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr(
                         "club.yaml:" + std::to_string(line_of(yaml, "nmae: Bob")) +
                         ":7: interest.kols[1].nmae: unknown key 'nmae'; did you mean 'name'?")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr("interest.kols[1].name: missing required key "
                                                   "'name'")))
      << ::testing::PrintToString(lines);
  EXPECT_THAT(lines, ::testing::Contains(
                         HasSubstr("club.yaml:" + std::to_string(line_of(yaml, "group: [tea]")) +
                                   ":14: interest.kols[0].group: expected a string")))
      << ::testing::PrintToString(lines);
}

TEST_F(InterestPluginTest, SiteWithoutProductsHasAnEmptyShopAndNoShopLink) {
  auto instance = start();
  const auto shop = get(*instance, "/shop");
  ASSERT_EQ(shop.status, 200);
  EXPECT_THAT(shop.body, HasSubstr("Nothing for sale yet."));
  EXPECT_TRUE(sdk::Json::parse(get(*instance, "/api/shop").body)["products"].empty());
  EXPECT_THAT(get(*instance, "/").body, Not(HasSubstr("/shop")));
  EXPECT_THAT(get(*instance, "/").body, HasSubstr("<a href=\"/kols\">KOLs</a>"));
}

// --- the shipped demo sites -------------------------------------------------------------------

class ReadingClubSiteTest : public testing::PluginInstanceTest {
 protected:
  ReadingClubSiteTest() : PluginInstanceTest("reading-club") {}
};

TEST_F(ReadingClubSiteTest, ShippedSiteServesKolsTheSponsoredPostAndTheShop) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), Not(HasSubstr("interest.")));  // no reference problems logged

  const sdk::Json kols = sdk::Json::parse(get(*instance, "/api/kols").body)["kols"];
  ASSERT_EQ(kols.size(), 2u);
  EXPECT_EQ(kols[0]["name"], "阿梅");
  EXPECT_EQ(kols[0]["group"]["id"], "reading-camp");
  EXPECT_EQ(kols[1]["name"], "老周");
  const auto kol = get(*instance, "/kols/a-mei");
  ASSERT_EQ(kol.status, 200);
  EXPECT_THAT(kol.body, HasSubstr("十一月共读书目:《活着》"));
  EXPECT_THAT(kol.body, HasSubstr("带领 <a href=\"/groups/reading-camp\">21 天共读营</a>"));

  const std::string label = "<span class=\"label sponsored\">赞助</span>";
  EXPECT_EQ(occurrences(get(*instance, "/").body, label), 1u);
  EXPECT_EQ(occurrences(get(*instance, "/kols/lao-zhou").body, label), 1u);
  EXPECT_EQ(occurrences(get(*instance, "/kols/a-mei").body, label), 0u);
  const auto sponsored = get(*instance, "/posts/new-book-pick");
  EXPECT_EQ(occurrences(sponsored.body, label), 1u);
  EXPECT_THAT(sponsored.body, HasSubstr("青藤出版社"));

  const auto shop = get(*instance, "/shop");
  ASSERT_EQ(shop.status, 200);
  EXPECT_THAT(shop.body, HasSubstr("《活着》签名本"));
  EXPECT_THAT(shop.body, HasSubstr("45.00 CNY"));
  EXPECT_THAT(shop.body, HasSubstr("库存: 100"));
  EXPECT_THAT(shop.body, HasSubstr("action=\"/shop/huozhe-signed/buy\""));
  EXPECT_THAT(shop.body, Not(HasSubstr("年度会员")));  // offers of kind product only
  const sdk::Json products = sdk::Json::parse(get(*instance, "/api/shop").body)["products"];
  ASSERT_EQ(products.size(), 3u);
  EXPECT_EQ(products[0]["id"], "huozhe-signed");
  EXPECT_EQ(products[0]["stock"], 100);
  EXPECT_EQ(products[0]["sold_out"], false);
  EXPECT_EQ(products[0]["owned"], false);
  EXPECT_FALSE(products[0].contains("idempotency_key"));
  EXPECT_EQ(products[2]["title"], "打卡书签套装");
}

class NightRunnersSiteTest : public testing::PluginInstanceTest {
 protected:
  NightRunnersSiteTest() : PluginInstanceTest("night-runners") {}
};

TEST_F(NightRunnersSiteTest, ShippedSiteLoadsWithItsCoachAsAKol) {
  write_site(shipped_site());
  auto instance = load();
  EXPECT_THAT(problems(*instance), ::testing::IsEmpty());
  instance->prepare_storage();
  instance->mount_routes();
  EXPECT_THAT(log_.str(), Not(HasSubstr("interest.")));
  EXPECT_THAT(get(*instance, "/").body, HasSubstr("<a href=\"/kols/coach-lin\">Coach Lin</a>"));
  const sdk::Json coach = sdk::Json::parse(get(*instance, "/api/kols/coach-lin").body);
  ASSERT_EQ(coach["posts"].size(), 1u);
  EXPECT_EQ(coach["posts"][0]["slug"], "first-run");
}

}  // namespace
}  // namespace tribe::interest
