#pragma once
// Guards for routes: serve only the people a site's offers entitle.
#include <optional>
#include <string>
#include <utility>

#include "tribe/sdk/context.hpp"
#include "tribe/sdk/http.hpp"

namespace tribe::sdk {

// For handlers whose key depends on the request (a group's id): nothing when the member is
// entitled to `key`; otherwise the answer to give instead. A visitor is sent to log in and then
// back; a member without the entitlement (never bought, or the term is over) gets 403 with the
// site's "see the offers" message.
inline std::optional<Response> refusal_unless_entitled(const Request& request, Context& context,
                                                       const std::string& key) {
  if (!context.member()) return Response::redirect(request.base + "/login?next=" + request.path);
  if (!context.entitled(key)) throw HttpError(403, context.text("access.requires_offer"));
  return std::nullopt;
}

// `handler`, served only to members entitled to `key` (see Context::entitled).
inline Handler requires_entitlement(std::string key, Handler handler) {
  return [key = std::move(key), handler = std::move(handler)](const Request& request,
                                                              Context& context) {
    if (auto refusal = refusal_unless_entitled(request, context, key)) return *refusal;
    return handler(request, context);
  };
}

}  // namespace tribe::sdk
