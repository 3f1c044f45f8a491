#pragma once
// Verification applications (会员认证): a member applies with their company, title, years in the
// trade and proof; a site admin approves (the member gets the tag `verified`) or rejects with a
// reason (shown to the applicant; the tag is taken away). The member offers carry
// `requires_tags: [verified]`, so the kernel refuses them to anyone else, on every till.
#include <string>
#include <tribe/sdk/sdk.hpp>

namespace tribe::industry {

// Applications sent or decided from one UTC day to another ("2026-11-01", both included), each
// member's once, on its latest change: the funnel step.
std::int64_t applications_between(sdk::Context& context, const std::string& from_day,
                                  const std::string& to_day);

// The member's application state: "" (never applied), "pending", "approved" or "rejected".
std::string application_state(sdk::Context& context, const std::string& member_id);

// GET /apply and GET /api/application: the member's application and the form while they may apply.
sdk::Response apply_page(const sdk::Request& request, sdk::Context& context);
sdk::Response application_api(const sdk::Request& request, sdk::Context& context);
// POST /apply: company, title, years, proof.
sdk::Response apply(const sdk::Request& request, sdk::Context& context);

// GET /admin/applications and /api/admin/applications: every application, for site admins.
sdk::Response applications_page(const sdk::Request& request, sdk::Context& context);
sdk::Response applications_api(const sdk::Request& request, sdk::Context& context);
// POST /admin/applications/{member}/decide: decision=approve|reject, reason (needed to reject).
sdk::Response decide_application(const sdk::Request& request, sdk::Context& context);

// 401 for a visitor, 403 for a member who is not a site admin.
void require_admin(sdk::Context& context);

}  // namespace tribe::industry
