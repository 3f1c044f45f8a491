#include "kernel/http/server.hpp"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <iostream>
#include <mutex>
#include <thread>

#include "kernel/http/error_response.hpp"
#include "kernel/http/request_id.hpp"

namespace tribe::kernel::http {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

std::optional<sdk::Method> parse_method(const std::string& method) {
  if (method == "GET" || method == "HEAD") return sdk::Method::Get;
  if (method == "POST") return sdk::Method::Post;
  if (method == "PUT") return sdk::Method::Put;
  if (method == "PATCH") return sdk::Method::Patch;
  if (method == "DELETE") return sdk::Method::Delete;
  return std::nullopt;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class BodyTooLarge : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string read_body(HTTPServerRequest& in, std::size_t limit) {
  if (in.hasContentLength() && static_cast<std::size_t>(in.getContentLength64()) > limit) {
    throw BodyTooLarge("request body over " + std::to_string(limit) + " bytes");
  }
  std::string body;
  char buffer[8192];
  while (in.stream().read(buffer, sizeof buffer) || in.stream().gcount() > 0) {
    body.append(buffer, static_cast<std::size_t>(in.stream().gcount()));
    if (body.size() > limit)
      throw BodyTooLarge("request body over " + std::to_string(limit) + " bytes");
  }
  return body;
}

bool is_form(const sdk::Request& request) {
  const auto type = request.header("content-type");
  return type && lower(*type).starts_with("application/x-www-form-urlencoded");
}

// The client as a trusted proxy reports it (the last X-Forwarded-For hop, X-Forwarded-Proto), or
// the peer itself.
void identify_client(HTTPServerRequest& in, const ServerOptions& options, sdk::Request& request) {
  const std::string peer = in.clientAddress().host().toString();
  request.client_address = peer;
  request.secure = in.secure();
  const auto& proxies = options.trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), peer) == proxies.end()) return;
  if (auto forwarded = request.header("x-forwarded-for")) {
    std::string last = forwarded->substr(forwarded->find_last_of(',') + 1);
    last.erase(0, last.find_first_not_of(' '));
    last.erase(last.find_last_not_of(' ') + 1);
    if (!last.empty()) request.client_address = last;
  }
  if (auto proto = request.header("x-forwarded-proto")) request.secure = lower(*proto) == "https";
}

sdk::Request to_sdk_request(HTTPServerRequest& in, sdk::Method method,
                            const ServerOptions& options) {
  sdk::Request request;
  request.method = method;
  Poco::URI uri(in.getURI());
  request.path = uri.getPath().empty() ? "/" : uri.getPath();
  for (auto& [key, value] : uri.getQueryParameters()) request.query[key] = value;
  for (const auto& [name, value] : in) request.headers[lower(name)] = value;
  Poco::Net::NameValueCollection cookies;
  in.getCookies(cookies);
  for (const auto& [name, value] : cookies) request.cookies[name] = value;
  identify_client(in, options, request);
  request.body = read_body(in, options.max_body_bytes);
  if (method != sdk::Method::Get && is_form(request)) {
    Poco::Net::HTMLForm form;
    form.read(request.body);
    for (const auto& [name, value] : form) request.form[name] = value;
  }
  return request;
}

// The host the client asked for, lower case, without the port.
std::string request_host(const HTTPServerRequest& in) {
  std::string host = in.has("Host") ? in.getHost() : "";
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return lower(host);
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Application& application;
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::mutex log_mutex;
  std::atomic<int> in_flight{0};

  Impl(ServerOptions o, Application& app)
      : options(std::move(o)),
        application(app),
        pool("tribe-http", 8, options.max_threads + 8, 60) {}

  void serve(HTTPServerRequest& in, HTTPServerResponse& out);
  sdk::Response dispatch(HTTPServerRequest& in, sdk::Request& request);
  void log_failure(const std::string& request_id, const sdk::Request& request,
                   const std::string& what);
  void log_access(const HTTPServerRequest& in, const std::string& host,
                  const sdk::Response& response, const std::string& request_id,
                  std::chrono::steady_clock::duration took);
};

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestHandler(Server::Impl& server) : server_(server) {}
  void handleRequest(HTTPServerRequest& in, HTTPServerResponse& out) override {
    server_.serve(in, out);
  }

 private:
  Server::Impl& server_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(Server::Impl& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new RequestHandler(server_);
  }

 private:
  Server::Impl& server_;
};

sdk::Response Server::Impl::dispatch(HTTPServerRequest& in, sdk::Request& request) {
  auto method = parse_method(in.getMethod());
  if (!method) return plain_error(501, "method not supported", request.request_id);
  try {
    std::string id = std::move(request.request_id);
    request = to_sdk_request(in, *method, options);
    request.request_id = std::move(id);
  } catch (const BodyTooLarge& e) {
    return plain_error(413, e.what(), request.request_id);
  } catch (const std::exception& e) {
    return plain_error(400, std::string("malformed request: ") + e.what(), request.request_id);
  }
  try {
    return application.handle(request, request_host(in));
  } catch (const sdk::HttpError& e) {
    return wants_json(request) ? json_error(e.status(), e.what(), request.request_id)
                               : plain_error(e.status(), e.what(), request.request_id);
  } catch (const std::exception& e) {
    log_failure(request.request_id, request, e.what());
  } catch (...) {
    log_failure(request.request_id, request, "a non-standard exception");
  }
  const std::string message = "internal error; quote the request id when you report it";
  return wants_json(request) ? json_error(500, message, request.request_id)
                             : plain_error(500, message, request.request_id);
}

void Server::Impl::serve(HTTPServerRequest& in, HTTPServerResponse& out) {
  ++in_flight;
  struct Done {
    std::atomic<int>& count;
    ~Done() { --count; }
  } done{in_flight};
  auto started = std::chrono::steady_clock::now();
  sdk::Request request;
  request.request_id = new_request_id();
  request.path = in.getURI();
  sdk::Response response = dispatch(in, request);

  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
  out.setContentType(response.content_type);
  out.set("X-Request-Id", request.request_id);
  for (const auto& [name, value] : response.headers) out.add(name, value);
  out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
  if (in.getMethod() == "HEAD") {
    out.send();
  } else {
    out.sendBuffer(response.body.data(), response.body.size());
  }
  log_access(in, request_host(in), response, request.request_id,
             std::chrono::steady_clock::now() - started);
}

void Server::Impl::log_failure(const std::string& request_id, const sdk::Request& request,
                               const std::string& what) {
  std::lock_guard lock(log_mutex);
  std::ostream& log = options.error_log ? *options.error_log : std::cerr;
  log << "error request_id=" << request_id << " path=" << request.path << ": " << what << std::endl;
}

void Server::Impl::log_access(const HTTPServerRequest& in, const std::string& host,
                              const sdk::Response& response, const std::string& request_id,
                              std::chrono::steady_clock::duration took) {
  if (!options.access_log) return;
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  std::lock_guard lock(log_mutex);
  *options.access_log << in.clientAddress().host().toString() << ' ' << in.getMethod() << ' '
                      << host << in.getURI() << ' ' << response.status << ' '
                      << response.body.size() << "B " << micros << "us request_id=" << request_id
                      << '\n';
}

Server::Server(ServerOptions options, Application& application)
    : impl_(std::make_unique<Impl>(std::move(options), application)) {}

Server::~Server() {
  stop();
}

void Server::start() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(impl_->options.host, impl_->options.port),
                                 256);
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(impl_->options.max_threads);
  params->setMaxQueued(impl_->options.max_queued);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(impl_->options.keep_alive_timeout.count(), 0));
  params->setMaxKeepAliveRequests(0);  // unlimited per connection
  params->setServerName("tribe");
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(*impl_), impl_->pool,
                                                          socket, params);
  impl_->server->start();
}

void Server::stop() {
  if (!impl_->server) return;
  // Stop accepting and let requests in flight finish (bounded), then shut the idle keep-alive
  // sockets, whose threads would otherwise wait out their keep-alive timeout.
  impl_->server->stopAll(false);
  auto deadline = std::chrono::steady_clock::now() + impl_->options.shutdown_grace;
  while (impl_->in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->server->stopAll(true);
  impl_->pool.joinAll();
  impl_->server.reset();
}

std::uint16_t Server::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

}  // namespace tribe::kernel::http
