// `tribe serve` as a user runs it: a child process with the demo sites, the real interest plugin
// and the broken fixture plugins, exercised over loopback sockets.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "child_process.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::testing {
namespace {

namespace fs = std::filesystem;

struct Reply {
  int status = 0;
  std::string body;
  std::string request_id;
};

Reply get(std::uint16_t port, const std::string& path, const std::string& host = "127.0.0.1") {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPRequest::HTTP_1_1);
  request.setHost(host);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  Reply reply;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.body);
  reply.status = response.getStatus();
  reply.request_id = response.get("X-Request-Id", "");
  return reply;
}

// Demo sites plus one site of the fixture plugin's type, in a temp dir with its own database.
class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tribe-e2e-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "sites");
    for (const auto& file : fs::directory_iterator(fs::path(TRIBE_SOURCE_DIR) / "sites")) {
      fs::copy_file(file.path(), dir_ / "sites" / file.path().filename());
    }
    std::ofstream(dir_ / "sites" / "lab.yaml") << "id: lab\nname: Fixture Lab\ntype: fixture\n"
                                                  "hosts: [lab.localhost]\nlocale: en\n";
    server_ = new ServedTribe({"--sites", (dir_ / "sites").string(), "--db",
                               "sqlite:" + (dir_ / "tribe.db").string(), "--plugin-dir",
                               TRIBE_PLUGIN_DIR, "--plugin-dir", TRIBE_FIXTURE_PLUGIN_DIR});
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(dir_);
  }
  static std::uint16_t port() { return server_->port(); }

  static inline fs::path dir_;
  static inline ServedTribe* server_ = nullptr;
};

TEST_F(ServeTest, PrintsTheUrlsOfBothDemoSites) {
  const std::string& out = server_->startup_output();
  EXPECT_NE(out.find("/s/reading-club/"), std::string::npos) << out;
  EXPECT_NE(out.find("http://reading-club.localhost:"), std::string::npos) << out;
  EXPECT_NE(out.find("/s/night-runners/"), std::string::npos) << out;
}

TEST_F(ServeTest, HomePageAnswersByHostHeader) {
  Reply reading = get(port(), "/", "reading-club.localhost");
  EXPECT_EQ(reading.status, 200);
  EXPECT_NE(reading.body.find("十点读书会"), std::string::npos);
  EXPECT_NE(reading.body.find("十一月共读书目"), std::string::npos);
  EXPECT_NE(reading.body.find("href=\"/posts/november-book\""), std::string::npos);

  Reply runners = get(port(), "/", "night-runners.localhost:8080");
  EXPECT_EQ(runners.status, 200);
  EXPECT_NE(runners.body.find("Night Runners"), std::string::npos);
  EXPECT_NE(runners.body.find("Winter kit checklist"), std::string::npos);
  EXPECT_EQ(runners.body.find("十点读书会"), std::string::npos)
      << "one tenant's page shows another's";
}

TEST_F(ServeTest, HomePageAnswersUnderSitePrefix) {
  Reply reading = get(port(), "/s/reading-club/");
  EXPECT_EQ(reading.status, 200);
  EXPECT_NE(reading.body.find("十点读书会"), std::string::npos);
  EXPECT_NE(reading.body.find("href=\"/s/reading-club/posts/welcome\""), std::string::npos);
  Reply runners = get(port(), "/s/night-runners/");
  EXPECT_EQ(runners.status, 200);
  EXPECT_NE(runners.body.find("Your first run with us"), std::string::npos);
}

TEST_F(ServeTest, PostPageAndApi) {
  Reply post = get(port(), "/s/reading-club/posts/november-book");
  EXPECT_EQ(post.status, 200);
  EXPECT_NE(post.body.find("福贵为什么还能笑着活下去"), std::string::npos);

  Reply api = get(port(), "/api/posts", "night-runners.localhost");
  ASSERT_EQ(api.status, 200);
  auto json = sdk::Json::parse(api.body);
  EXPECT_EQ(json["site"], "night-runners");
  ASSERT_EQ(json["posts"].size(), 2u);
  EXPECT_EQ(json["posts"][0]["slug"], "first-run");
  EXPECT_EQ(json["posts"][0]["tags"][0], "newcomers");
  EXPECT_EQ(json["posts"][1]["url"], "/posts/winter-kit");

  Reply missing = get(port(), "/s/reading-club/api/posts/first-run");
  EXPECT_EQ(missing.status, 404) << "a post of another tenant must not be found";
  EXPECT_EQ(sdk::Json::parse(missing.body)["error"]["request_id"], missing.request_id);
}

TEST_F(ServeTest, UnknownHostGetsPlain404RevealingNoTenant) {
  for (const auto& [host, path] : std::vector<std::pair<std::string, std::string>>{
           {"unknown.example", "/"}, {"127.0.0.1", "/"}, {"127.0.0.1", "/s/no-such-site/"}}) {
    Reply reply = get(port(), path, host);
    EXPECT_EQ(reply.status, 404) << host << path;
    EXPECT_EQ(reply.body.find("reading"), std::string::npos) << reply.body;
    EXPECT_EQ(reply.body.find("runners"), std::string::npos) << reply.body;
    EXPECT_EQ(reply.body.find("<html"), std::string::npos) << "plain, not a site page";
  }
}

TEST_F(ServeTest, HealthCheck) {
  Reply health = get(port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
}

TEST_F(ServeTest, BrokenPluginsAreRefusedWhileTheGoodOnesServe) {
  std::string err = server_->error_output();
  EXPECT_NE(err.find("plugin 'fixture_abi_major'"), std::string::npos) << err;
  EXPECT_NE(err.find("plugin 'fixture_throwing_factory'"), std::string::npos) << err;
  EXPECT_NE(err.find("plugin 'fixture_no_factory'"), std::string::npos) << err;
  EXPECT_EQ(get(port(), "/hello", "lab.localhost").status, 200);
  EXPECT_EQ(get(port(), "/", "reading-club.localhost").status, 200);
}

TEST_F(ServeTest, ThrowingRouteGives500WithRequestIdThenServesTheNextRequest) {
  Reply boom = get(port(), "/api/boom", "lab.localhost");
  EXPECT_EQ(boom.status, 500);
  ASSERT_FALSE(boom.request_id.empty());
  EXPECT_EQ(sdk::Json::parse(boom.body)["error"]["request_id"], boom.request_id);
  EXPECT_NE(server_->error_output().find("request_id=" + boom.request_id), std::string::npos)
      << "the failure is logged with its request id";

  Reply next = get(port(), "/api/hello/tribe", "lab.localhost");
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(sdk::Json::parse(next.body)["hello"], "tribe");
}

TEST(ServeShutdown, SigtermStopsGracefully) {
  fs::path dir = fs::temp_directory_path() / ("tribe-e2e-stop-" + std::to_string(::getpid()));
  ServedTribe server({"--sites", std::string(TRIBE_SOURCE_DIR) + "/sites", "--db",
                      "sqlite:" + (dir / "tribe.db").string(), "--plugin-dir", TRIBE_PLUGIN_DIR});
  EXPECT_EQ(get(server.port(), "/s/reading-club/").status, 200);
  EXPECT_EQ(server.terminate(), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tribe::testing
