// The interest plugin loaded from its .so into a real kernel instance on a real SQLite file.
#include <gtest/gtest.h>

#include "kernel/instance/instance.hpp"
#include "plugin_instance_test.hpp"

namespace tribe::interest {
namespace {

const char* kSite = R"(id: club
name: Club <One>
type: interest
locale: en
hosts: [club.localhost]
interest:
  tagline: Books & tea
  posts:
    - slug: first
      title: First post
      author: Ann
      tags: [news]
      body: |
        Hello <script>alert(1)</script>

        Second paragraph.
    - slug: second
      title: Second post
      body: Plain.
)";

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
  EXPECT_NE(get(*instance, "/").body.find("最新文章"), std::string::npos);
}

}  // namespace
}  // namespace tribe::interest
