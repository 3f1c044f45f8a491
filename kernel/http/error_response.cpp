#include "kernel/http/error_response.hpp"

#include <Poco/Net/HTTPResponse.h>

namespace tribe::kernel::http {

bool wants_json(const sdk::Request& request) {
  if (request.path.starts_with("/api/") || request.path == "/api") return true;
  auto accept = request.header("accept");
  return accept && accept->find("application/json") != std::string::npos &&
         accept->find("text/html") == std::string::npos;
}

sdk::Response json_error(int status, const std::string& message, const std::string& request_id) {
  sdk::Json body = {
      {"error", {{"status", status}, {"message", message}, {"request_id", request_id}}}};
  return sdk::Response::json(body, status);
}

sdk::Response plain_error(int status, const std::string& message, const std::string& request_id) {
  std::string reason = Poco::Net::HTTPResponse::getReasonForStatus(
      static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  std::string body = std::to_string(status) + " " + reason + "\n";
  if (!message.empty()) body += message + "\n";
  body += "request id: " + request_id + "\n";
  return sdk::Response{status, "text/plain; charset=utf-8", std::move(body), {}};
}

}  // namespace tribe::kernel::http
