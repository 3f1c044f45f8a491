#pragma once
// Applications to join the club (入会申请): a member applies with their company, stage and pitch;
// a site admin approves (the member gets the tag `approved`) or rejects with a reason (the tag is
// taken away). The entry offer requires that tag, so the kernel sells it to approved applicants
// only, wherever it is ordered; /join says so in the member's language. The applications and
// their reasons live in startup_applications.
#include <string>
#include <tribe/sdk/sdk.hpp>

namespace tribe::startup {

// Applications sent or decided from one UTC day to another ("2026-11-01", both included), each
// member's once, on its latest change: the funnel step.
std::int64_t applications_between(sdk::Context& context, const std::string& from_day,
                                  const std::string& to_day);

// The member's application state: "" (never applied), "pending", "approved" or "rejected".
std::string application_state(sdk::Context& context, const std::string& member_id);

// GET /apply and GET /api/application: the member's application, the form while they may apply,
// and the entry fee once approved.
sdk::Response apply_page(const sdk::Request& request, sdk::Context& context);
sdk::Response application_api(const sdk::Request& request, sdk::Context& context);
// POST /apply: company, stage, pitch.
sdk::Response apply(const sdk::Request& request, sdk::Context& context);
// POST /join: the entry fee, for members holding the approved tag (403 otherwise).
sdk::Response join(const sdk::Request& request, sdk::Context& context);

// GET /admin/applications and /api/admin/applications: every application, for site admins.
sdk::Response applications_page(const sdk::Request& request, sdk::Context& context);
sdk::Response applications_api(const sdk::Request& request, sdk::Context& context);
// POST /admin/applications/{member}/decide: decision=approve|reject, reason (needed to reject);
// gives or takes away the approved tag.
sdk::Response decide_application(const sdk::Request& request, sdk::Context& context);

// The offer /join sells (the YAML's startup.entry_offer, default "membership").
std::string entry_offer(const sdk::Context& context);

}  // namespace tribe::startup
