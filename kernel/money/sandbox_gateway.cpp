#include "kernel/money/sandbox_gateway.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <chrono>
#include <stdexcept>

#include "kernel/identity/token.hpp"
#include "kernel/money/webhook_signature.hpp"

namespace tribe::kernel::money {
namespace {

constexpr const char* kWebhookPath = "/payments/sandbox/webhook";

sdk::Json event_of(const Order& order, const std::string& id, const std::string& type) {
  return {{"id", id},
          {"type", type},
          {"order_id", order.id},
          {"amount", order.amount.minor_units()},
          {"currency", order.amount.currency()}};
}

}  // namespace

int SandboxGateway::deliver(const std::string& host, const std::string& webhook_path,
                            const std::string& secret, const sdk::Json& event) const {
  const std::uint16_t port = port_;
  if (port == 0) throw std::runtime_error("the sandbox gateway has no server to deliver to");
  const std::string body = event.dump();
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, webhook_path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setHost(host);
  request.setContentType("application/json");
  request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  request.set("Tribe-Signature", sign_webhook(secret, now, body));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response).ignore(1 << 20);
  return static_cast<int>(response.getStatus());
}

int SandboxGateway::pay(const Order& order, bool succeeded, const SiteAddress& site,
                        const std::string& secret) const {
  const sdk::Json event = event_of(order, "evt_" + identity::random_token(16),
                                   succeeded ? "payment.succeeded" : "payment.failed");
  return deliver(site.host, site.base + kWebhookPath, secret, event);
}

int SandboxGateway::refund(const Order& order, const SiteAddress& site,
                           const std::string& secret) const {
  return deliver(site.host, site.base + kWebhookPath, secret,
                 event_of(order, "refund:" + order.id, "refund.succeeded"));
}

}  // namespace tribe::kernel::money
