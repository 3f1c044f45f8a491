#include "http_client.hpp"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace tribe::testing {

std::string HttpReply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

HttpVisitor::HttpVisitor(std::uint16_t port, std::string host, std::string base)
    : port_(port), host_(std::move(host)), base_(std::move(base)) {}

std::string HttpVisitor::cookie(const std::string& name) const {
  auto it = cookies_.find(name);
  return it == cookies_.end() ? "" : it->second;
}

HttpReply HttpVisitor::get(const std::string& path,
                           const std::map<std::string, std::string>& headers) {
  return send("GET", path, "", "", headers, true);
}

HttpReply HttpVisitor::post_form(const std::string& path, std::map<std::string, std::string> fields,
                                 bool with_csrf,
                                 const std::map<std::string, std::string>& headers) {
  if (with_csrf && !fields.count("csrf_token")) fields["csrf_token"] = cookie("tribe_csrf");
  Poco::Net::HTMLForm form;
  for (const auto& [name, value] : fields) form.set(name, value);
  std::ostringstream body;
  form.write(body);
  return send("POST", path, body.str(), "application/x-www-form-urlencoded", headers, true);
}

HttpReply HttpVisitor::post_json(const std::string& path, const std::string& json,
                                 const std::map<std::string, std::string>& headers) {
  auto with_token = headers;
  if (!with_token.count("X-CSRF-Token")) with_token["X-CSRF-Token"] = cookie("tribe_csrf");
  return send("POST", path, json, "application/json", with_token, true);
}

HttpReply HttpVisitor::post_raw(const std::string& path, const std::string& body,
                                const std::map<std::string, std::string>& headers) {
  return send("POST", path, body, "application/json", headers, false);
}

HttpReply HttpVisitor::send(const std::string& method, const std::string& path,
                            const std::string& body, const std::string& content_type,
                            const std::map<std::string, std::string>& headers, bool with_cookies) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port_);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, base_ + path, Poco::Net::HTTPRequest::HTTP_1_1);
  request.setHost(host_);
  if (with_cookies && !cookies_.empty()) {
    Poco::Net::NameValueCollection cookies;
    for (const auto& [name, value] : cookies_) cookies.add(name, value);
    request.setCookies(cookies);
  }
  for (const auto& [name, value] : headers) request.set(name, value);
  if (method != "GET") {
    request.setContentType(content_type);
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    session.sendRequest(request) << body;
  } else {
    session.sendRequest(request);
  }
  Poco::Net::HTTPResponse response;
  HttpReply reply;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.body);
  reply.status = response.getStatus();
  reply.location = response.get("Location", "");
  reply.request_id = response.get("X-Request-Id", "");
  for (const auto& [name, value] : response) {
    if (Poco::icompare(name, "Set-Cookie") == 0) {
      reply.set_cookie.push_back(value);
    } else {
      reply.headers[name] = value;
    }
  }
  std::vector<Poco::Net::HTTPCookie> cookies;
  response.getCookies(cookies);
  for (const auto& cookie : cookies) {
    if (cookie.getMaxAge() == 0) {
      cookies_.erase(cookie.getName());
    } else {
      cookies_[cookie.getName()] = cookie.getValue();
    }
  }
  return reply;
}

}  // namespace tribe::testing
