// The HTTP server over real loopback sockets.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <sstream>
#include <vector>

#include "kernel/http/server.hpp"

namespace tribe::kernel::http {
namespace {

using Poco::Net::HTTPClientSession;
using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

class LambdaApplication : public Application {
 public:
  explicit LambdaApplication(std::function<sdk::Response(sdk::Request&, const std::string&)> f)
      : f_(std::move(f)) {}
  sdk::Response handle(sdk::Request& request, const std::string& host) override {
    return f_(request, host);
  }

 private:
  std::function<sdk::Response(sdk::Request&, const std::string&)> f_;
};

struct Reply {
  int status;
  std::string body;
  std::string request_id;
  std::string content_type;
  std::string reason;
};

Reply exchange(HTTPClientSession& session, const std::string& method, const std::string& path,
               const std::string& body = "", const std::string& host = "") {
  HTTPRequest request(method, path, HTTPRequest::HTTP_1_1);
  request.setKeepAlive(true);
  if (!host.empty()) request.setHost(host);
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string text;
  Poco::StreamCopier::copyToString(in, text);
  return Reply{response.getStatus(), text, response.get("X-Request-Id", ""),
               response.getContentType(), response.getReason()};
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.port = 0;
    options.error_log = &errors_;
    server_ = std::make_unique<Server>(options, app_);
    server_->start();
  }
  std::unique_ptr<HTTPClientSession> client() {
    auto session = std::make_unique<HTTPClientSession>("127.0.0.1", server_->port());
    session->setKeepAlive(true);
    session->setTimeout(Poco::Timespan(10, 0));
    return session;
  }

  std::ostringstream errors_;
  LambdaApplication app_{[](sdk::Request& request, const std::string& host) -> sdk::Response {
    if (request.path == "/boom") throw std::runtime_error("plugin exploded");
    if (request.path == "/api/boom") throw std::runtime_error("plugin exploded");
    if (request.path == "/api/missing") throw sdk::HttpError(404, "no such post");
    if (request.path == "/echo") {
      return sdk::Response::json({{"host", host},
                                  {"body", request.body},
                                  {"q", request.query["q"]},
                                  {"id", request.request_id}});
    }
    return sdk::Response::html("<p>hello</p>");
  }};
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, EveryResponseCarriesARequestId) {
  start();
  auto session = client();
  Reply first = exchange(*session, "GET", "/");
  Reply second = exchange(*session, "GET", "/");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "<p>hello</p>");
  EXPECT_EQ(first.request_id.size(), 16u);
  EXPECT_NE(first.request_id, second.request_id);
}

TEST_F(ServerTest, PassesHostQueryAndBodyToTheApplication) {
  start();
  auto session = client();
  Reply reply = exchange(*session, "POST", "/echo?q=%E4%B9%A6", "payload", "Reading.Example:8080");
  auto json = sdk::Json::parse(reply.body);
  EXPECT_EQ(json["host"], "reading.example");
  EXPECT_EQ(json["body"], "payload");
  EXPECT_EQ(json["q"], "书");
  EXPECT_EQ(json["id"], reply.request_id);
}

TEST_F(ServerTest, ThrowingHandlerGives500WithRequestIdAndServerLives) {
  start();
  auto session = client();
  Reply boom = exchange(*session, "GET", "/boom");
  EXPECT_EQ(boom.status, 500);
  EXPECT_NE(boom.body.find(boom.request_id), std::string::npos) << boom.body;
  EXPECT_EQ(boom.body.find("plugin exploded"), std::string::npos) << "details stay in the log";
  EXPECT_NE(errors_.str().find(boom.request_id), std::string::npos);
  EXPECT_NE(errors_.str().find("plugin exploded"), std::string::npos);

  Reply api = exchange(*session, "GET", "/api/boom");
  EXPECT_EQ(api.status, 500);
  auto error = sdk::Json::parse(api.body)["error"];
  EXPECT_EQ(error["status"], 500);
  EXPECT_EQ(error["request_id"], api.request_id);

  Reply next = exchange(*session, "GET", "/");
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "<p>hello</p>");
}

TEST_F(ServerTest, HttpErrorKeepsItsStatusAndMessage) {
  start();
  auto session = client();
  Reply reply = exchange(*session, "GET", "/api/missing");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.reason, "Not Found");
  EXPECT_EQ(sdk::Json::parse(reply.body)["error"]["message"], "no such post");
}

TEST_F(ServerTest, RefusesOversizedBodyAndUnknownMethod) {
  ServerOptions options;
  options.max_body_bytes = 16;
  start(options);
  auto session = client();
  EXPECT_EQ(exchange(*session, "POST", "/echo", std::string(17, 'x')).status, 413);
  auto other = client();
  EXPECT_EQ(exchange(*other, "OPTIONS", "/").status, 501);
}

// Poco's defaults serve one keep-alive connection per thread from a pool of 16: connection 17
// would wait for another to time out. All 256 must be answered while all stay open.
TEST_F(ServerTest, Serves256ConcurrentKeepAliveConnections) {
  start();
  constexpr int kClients = 256;
  std::vector<std::unique_ptr<HTTPClientSession>> sessions;
  for (int i = 0; i < kClients; ++i) {
    sessions.push_back(client());
    ASSERT_EQ(exchange(*sessions.back(), "GET", "/").status, 200) << "client " << i;
  }
  // Every connection is still open and idle now; each must be answered again.
  int answered = 0;
  for (auto& session : sessions) {
    Reply reply = exchange(*session, "GET", "/");
    if (reply.status == 200 && reply.body == "<p>hello</p>") ++answered;
  }
  EXPECT_EQ(answered, kClients);
  server_->stop();  // closes the idle keep-alive connections instead of waiting them out
}

}  // namespace
}  // namespace tribe::kernel::http
