#include "applications.hpp"

#include <algorithm>

#include "club_rules.hpp"

namespace tribe::startup {
namespace {

constexpr const char* kTable = "startup_applications";

std::optional<sdk::Json> application_of(sdk::Context& context, const std::string& member_id) {
  return context.store().find_one(kTable, {{"member_id", member_id}});
}

void require_admin(sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("startup.log_in_first"));
  if (!context.member()->admin) throw sdk::HttpError(403, context.text("startup.admins_only"));
}

// Whether the member holds the approved tag: what the kernel checks on every order of the entry
// offer (its requires_tags).
bool holds_approval(sdk::Context& context, const std::string& member_id) {
  const auto tags = context.tags_of(member_id);
  return std::find(tags.begin(), tags.end(), kApprovedTag) != tags.end();
}

sdk::Json application_data(sdk::Context& context) {
  const std::string& me = context.member()->id;
  const auto row = application_of(context, me);
  const std::string state = row ? row->at("state").get<std::string>() : "";
  sdk::Json data = {{"state", state},
                    {"applied", !state.empty()},
                    {"pending", state == "pending"},
                    {"approved", state == "approved"},
                    {"rejected", state == "rejected"},
                    {"reason", row ? row->at("reason").get<std::string>() : ""},
                    {"company", row ? row->at("company").get<std::string>() : ""},
                    {"stage", row ? row->at("stage").get<std::string>() : ""},
                    {"pitch", row ? row->at("pitch").get<std::string>() : ""},
                    {"may_apply", may_apply(state)},
                    {"may_pay_entry", holds_approval(context, me)}};
  if (const sdk::Offer* offer = sdk::flows::find_offer(context, entry_offer(context))) {
    const sdk::Access access = sdk::flows::Subscription(offer->id).status(context);
    data["entry"] = {{"offer", offer->id},
                     {"title", offer->title},
                     {"price", sdk::display_price(*offer)},
                     {"active", access.active},
                     {"until", access.ends_at ? date_text(*access.ends_at) : ""}};
  }
  data["has_entry"] = data.contains("entry");
  return data;
}

}  // namespace

std::string entry_offer(const sdk::Context& context) {
  return context.site().config().value("entry_offer", "membership");
}

std::string application_state(sdk::Context& context, const std::string& member_id) {
  const auto row = application_of(context, member_id);
  return row ? row->at("state").get<std::string>() : "";
}

sdk::Response apply_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/apply");
  sdk::Json data = application_data(context);
  data["idempotency_key"] = sdk::flows::fresh_idempotency_key();
  return sdk::Response::html(context.render_page("apply", data));
}

sdk::Response application_api(const sdk::Request&, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("startup.log_in_first"));
  return sdk::Response::json(application_data(context));
}

sdk::Response apply(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/apply");
  const std::string company = request.field("company");
  const std::string stage = request.field("stage");
  const std::string pitch = request.field("pitch");
  if (company.empty() || characters(company) > 100 || stage.empty() || characters(stage) > 40 ||
      pitch.empty() || characters(pitch) > 1000) {
    throw sdk::HttpError(400, context.text("startup.application_fields"));
  }
  const sdk::Member& me = *context.member();
  const std::string now = time_text(context.clock().now());
  context.store().transaction([&](sdk::TenantStore& store) {
    const auto row = store.find_one(kTable, {{"member_id", me.id}});
    const std::string state = row ? row->at("state").get<std::string>() : "";
    if (!may_apply(state)) throw sdk::HttpError(409, context.text("startup.already_applied"));
    const sdk::Json values = {{"email", me.email}, {"company", company}, {"stage", stage},
                              {"pitch", pitch},    {"state", "pending"}, {"reason", ""},
                              {"updated_at", now}};
    if (row) {
      store.update(kTable, {{"member_id", me.id}}, values);
    } else {
      sdk::Json fresh = values;
      fresh["member_id"] = me.id;
      store.insert(kTable, fresh);
    }
  });
  return sdk::Response::redirect(request.base + "/apply");
}

sdk::Response join(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/apply");
  // The kernel refuses the entry offer without the approved tag too (its requires_tags); asking
  // first gives the member a page that says what to do.
  if (!holds_approval(context, context.member()->id)) {
    throw sdk::HttpError(403, context.text("startup.entry_needs_approval"));
  }
  if (!sdk::flows::find_offer(context, entry_offer(context))) {
    throw sdk::HttpError(404, context.text("startup.no_entry_offer"));
  }
  return sdk::flows::Subscription(entry_offer(context)).subscribe()(request, context);
}

sdk::Json applications_list(sdk::Context& context) {
  sdk::Query query;
  query.table = kTable;
  query.order_by = "updated_at";
  sdk::Json list = sdk::Json::array();
  for (auto& row : context.store().select(query)) {
    const std::string state = row.at("state").get<std::string>();
    row["pending"] = state == "pending";
    list.push_back(std::move(row));
  }
  return list;
}

sdk::Response applications_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) {
    return sdk::Response::redirect(request.base + "/login?next=/admin/applications");
  }
  require_admin(context);
  sdk::Json list = applications_list(context);
  const bool any = !list.empty();
  return sdk::Response::html(
      context.render_page("applications", {{"applications", std::move(list)}, {"any", any}}));
}

sdk::Response applications_api(const sdk::Request&, sdk::Context& context) {
  require_admin(context);
  return sdk::Response::json({{"applications", applications_list(context)}});
}

sdk::Response decide_application(const sdk::Request& request, sdk::Context& context) {
  require_admin(context);
  const std::string& member_id = request.params.at("member");
  const std::string decision = request.field("decision");
  const std::string reason = request.field("reason");
  if (characters(reason) > 500) throw sdk::HttpError(400, context.text("startup.reason_too_long"));
  std::string decided;   // the state this request left, or the one it found decided already
  bool earlier = false;  // decided before this request
  context.store().transaction([&](sdk::TenantStore& store) {
    const auto row = store.find_one(kTable, {{"member_id", member_id}});
    if (!row) throw sdk::HttpError(404, context.text("startup.application_not_found"));
    decided = row->at("state").get<std::string>();
    earlier = decided != "pending";
    if (earlier) return;
    const auto next = decide(decided, decision, reason);
    if (!next) throw sdk::HttpError(400, context.text("startup.decision_fields"));
    store.update(
        kTable, {{"member_id", member_id}, {"state", "pending"}},
        {{"state", *next}, {"reason", reason}, {"updated_at", time_text(context.clock().now())}});
    decided = *next;
  });
  // The tag follows the decision. A decision asked again (409) sets it too, so the admin's retry
  // puts it right if the server stopped between the two writes.
  context.set_tag(member_id, kApprovedTag, holds_approved_tag(decided));
  if (earlier) throw sdk::HttpError(409, context.text("startup.already_decided"));
  return sdk::Response::redirect(request.base + "/admin/applications");
}

std::int64_t applications_between(sdk::Context& context, const std::string& from_day,
                                  const std::string& to_day) {
  // The store filters by equality only: the rows are read once and their day compared here.
  std::int64_t total = 0;
  sdk::Query query;
  query.table = kTable;
  for (const auto& row : context.store().select(query)) {
    const std::string day = row.at("updated_at").get<std::string>().substr(0, 10);
    total += day >= from_day && day <= to_day;
  }
  return total;
}

}  // namespace tribe::startup
