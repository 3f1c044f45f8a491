#pragma once
// Requests and responses as a plugin sees them: already routed to one site.
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tribe/sdk/abi.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::sdk {

class Context;

enum class Method { Get, Post, Put, Patch, Delete };

inline const char* method_name(Method method) {
  switch (method) {
    case Method::Get:
      return "GET";
    case Method::Post:
      return "POST";
    case Method::Put:
      return "PUT";
    case Method::Patch:
      return "PATCH";
    case Method::Delete:
      return "DELETE";
  }
  return "UNKNOWN";
}

struct TRIBE_SDK_API Request {
  Method method = Method::Get;
  std::string path;  // inside the site, always starting with '/'
  std::string base;  // URL prefix of the site as the client reached it: "" or "/s/<site>"
  std::map<std::string, std::string> params;   // from `{name}` segments of the route pattern
  std::map<std::string, std::string> query;    // decoded query string (last value wins)
  std::map<std::string, std::string> headers;  // names in lower case
  std::map<std::string, std::string> form;     // decoded urlencoded POST body (last value wins)
  std::map<std::string, std::string> cookies;
  std::string body;  // as received, also for forms (signed webhooks need the exact bytes)
  std::string request_id;
  std::string client_address;  // the peer, or what a trusted proxy says the client is
  bool secure = false;         // TLS, or a trusted proxy says the client used https

  std::string field(const std::string& name) const {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  }

  std::optional<std::string> header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
};

struct TRIBE_SDK_API Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response html(std::string body, int status = 200) {
    return Response{status, "text/html; charset=utf-8", std::move(body), {}};
  }
  static Response json(const Json& value, int status = 200) {
    return Response{status, "application/json", value.dump(), {}};
  }
  // 303 See Other: after a form POST, the browser GETs `location` (a path inside the site is
  // prefixed with the request's base by the caller).
  static Response redirect(std::string location) {
    return Response{303, "text/plain; charset=utf-8", "", {{"Location", std::move(location)}}};
  }
};

// Thrown by a handler to answer with a status and a message the client may see (404, 400, ...).
// The kernel renders it as JSON under /api/ and as a page elsewhere, with the request id.
class TRIBE_SDK_API HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

using Handler = std::function<Response(const Request&, Context&)>;

struct TRIBE_SDK_API Route {
  Method method = Method::Get;
  std::string pattern;  // "/posts/{slug}": literal segments and `{name}` parameters
  Handler handler;
  // The kernel refuses a POST, PUT, PATCH or DELETE without the visitor's CSRF token (form field
  // `csrf_token` or header `X-CSRF-Token`). Only endpoints whose callers prove themselves another
  // way (a signed webhook) turn this off.
  bool csrf = true;
};

}  // namespace tribe::sdk
