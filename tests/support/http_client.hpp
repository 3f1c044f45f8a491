#pragma once
// A small HTTP client for end-to-end tests: one visitor of one site, over a real socket, keeping
// the cookies the site sets (like a browser, without following redirects or running scripts).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tribe::testing {

struct HttpReply {
  int status = 0;
  std::string body;
  std::string location;                 // of a redirect
  std::vector<std::string> set_cookie;  // raw Set-Cookie values
  std::string request_id;
  std::string header(const std::string& name) const;
  std::map<std::string, std::string> headers;
};

class HttpVisitor {
 public:
  // `host` is the Host header (e.g. "reading-club.localhost" or "127.0.0.1"); `base` is the
  // site's prefix in paths ("" or "/s/<site>").
  HttpVisitor(std::uint16_t port, std::string host, std::string base = "");

  HttpReply get(const std::string& path, const std::map<std::string, std::string>& headers = {});
  // A form POST; adds the csrf_token field from the visitor's cookie unless `with_csrf` is false.
  HttpReply post_form(const std::string& path, std::map<std::string, std::string> fields,
                      bool with_csrf = true,
                      const std::map<std::string, std::string>& headers = {});
  // A JSON POST with the CSRF header from the visitor's cookie.
  HttpReply post_json(const std::string& path, const std::string& json,
                      const std::map<std::string, std::string>& headers = {});
  // A raw POST with exactly these headers and no cookies (webhooks come from gateways).
  HttpReply post_raw(const std::string& path, const std::string& body,
                     const std::map<std::string, std::string>& headers);

  std::string cookie(const std::string& name) const;
  void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  void forget_cookies() { cookies_.clear(); }
  const std::string& base() const { return base_; }
  // Points the visitor, cookies and all, at the same server listening elsewhere (a restart).
  void set_port(std::uint16_t port) { port_ = port; }
  std::uint16_t port() const { return port_; }

 private:
  HttpReply send(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& content_type, const std::map<std::string, std::string>& headers,
                 bool with_cookies);

  std::uint16_t port_;
  std::string host_;
  std::string base_;
  std::map<std::string, std::string> cookies_;
};

}  // namespace tribe::testing
