#include <gtest/gtest.h>

#include "kernel/ui/message_catalogue.hpp"
#include "kernel/ui/page_renderer.hpp"

namespace tribe::kernel::ui {
namespace {

TEST(PageRenderer, EscapesValuesByDefault) {
  std::string html = PageRenderer::render("t", "<p>{{name}}</p>{{{raw}}}",
                                          {{"name", "<script>x</script>"}, {"raw", "<b>ok</b>"}});
  EXPECT_EQ(html, "<p>&lt;script&gt;x&lt;/script&gt;</p><b>ok</b>");
}

TEST(PageRenderer, RendersListsAndMissingValues) {
  std::string html = PageRenderer::render(
      "t", "{{#posts}}[{{title}}]{{/posts}}{{^none}}empty{{/none}}{{#nil}}x{{/nil}}",
      {{"posts", {{{"title", "a"}}, {{"title", "b"}}}}, {"nil", nullptr}});
  EXPECT_EQ(html, "[a][b]empty");
}

TEST(PageRenderer, BadTemplateNamesItself) {
  try {
    PageRenderer::render("home", "{{#open}}never closed", {});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("template 'home'"), std::string::npos) << e.what();
  }
}

TEST(PageRenderer, PutsPageInLayoutWithThemeAndLocale) {
  PageRenderer renderer;
  PageFrame frame;
  frame.site = {{"id", "club"}, {"name", "Night <Runners>"}, {"locale", "zh-CN"}};
  frame.theme = {{"accent", "#123456"}};
  frame.base = "/s/club";
  std::string html = renderer.render_page("p", "<h1>{{title}}</h1>", {{"title", "Hi"}}, frame);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("<h1>Hi</h1>"), std::string::npos);
  EXPECT_NE(html.find("--accent: #123456"), std::string::npos);
  EXPECT_NE(html.find("Night &lt;Runners&gt;"), std::string::npos);
  EXPECT_NE(html.find("href=\"/s/club/\""), std::string::npos);
  EXPECT_NE(html.find("由 Tribe 驱动"), std::string::npos);
}

TEST(PageRenderer, ErrorPageShowsRequestId) {
  PageRenderer renderer;
  PageFrame frame;
  frame.site = {{"name", "Club"}, {"locale", "en"}};
  std::string html = renderer.render_error_page(500, "Something broke", "abc123", frame);
  EXPECT_NE(html.find("<code>abc123</code>"), std::string::npos);
  EXPECT_NE(html.find("Request id"), std::string::npos);
}

TEST(MessageCatalogue, FallsBackToEnglishThenKey) {
  MessageCatalogue catalogue;
  catalogue.add("en", "greeting: Hello\nfarewell: Bye\n", "test");
  catalogue.add("zh-CN", "greeting: 你好\n", "test");
  EXPECT_EQ(catalogue.text("zh-CN", "greeting"), "你好");
  EXPECT_EQ(catalogue.text("zh-CN", "farewell"), "Bye");
  EXPECT_EQ(catalogue.text("zh-CN", "missing.key"), "missing.key");
}

TEST(MessageCatalogue, TableNestsDottedKeys) {
  MessageCatalogue catalogue;
  catalogue.add("en", "post.read_more: Read more\n", "test");
  EXPECT_EQ(catalogue.table("en")["post"]["read_more"], "Read more");
}

TEST(MessageCatalogue, RefusesNonFlatYamlNamingSource) {
  MessageCatalogue catalogue;
  EXPECT_THROW(catalogue.add("en", "a: [1, 2]\n", "plugins/x/messages/en.yaml"),
               std::runtime_error);
  try {
    catalogue.add("en", "- just a list\n", "plugins/x/messages/en.yaml");
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("plugins/x/messages/en.yaml"), std::string::npos);
  }
}

}  // namespace
}  // namespace tribe::kernel::ui
