#include "applications.hpp"

#include "club_rules.hpp"

namespace tribe::industry {
namespace {

constexpr const char* kTable = "industry_applications";

std::optional<sdk::Json> application_of(sdk::Context& context, const std::string& member_id) {
  return context.store().find_one(kTable, {{"member_id", member_id}});
}

std::string text_of(const std::optional<sdk::Json>& row, const char* key) {
  return row ? row->at(key).get<std::string>() : "";
}

sdk::Json application_data(sdk::Context& context) {
  const std::string& me = context.member()->id;
  const auto row = application_of(context, me);
  const std::string state = text_of(row, "state");
  return {{"state", state},
          {"applied", !state.empty()},
          {"pending", state == "pending"},
          {"approved", state == "approved"},
          {"rejected", state == "rejected"},
          {"reason", text_of(row, "reason")},
          {"company", text_of(row, "company")},
          {"title", text_of(row, "title")},
          {"years", row ? row->at("years").get<std::int64_t>() : 0},
          {"proof", text_of(row, "proof")},
          {"may_apply", may_apply(state)},
          {"verified", is_verified(context.tags_of(me))}};
}

// "0" to "60" whole years; nullopt for anything else.
std::optional<std::int64_t> parse_years(const std::string& text) {
  if (text.empty() || text.size() > 2) return std::nullopt;
  std::int64_t years = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    years = years * 10 + (c - '0');
  }
  if (years > 60) return std::nullopt;
  return years;
}

sdk::Json applications_list(sdk::Context& context) {
  sdk::Query query;
  query.table = kTable;
  query.order_by = "updated_at";
  query.descending = true;  // the newest first (a new or renewed application is newest)
  query.limit = 1000;
  sdk::Json list = sdk::Json::array();
  for (auto& row : context.store().select(query)) {
    row["pending"] = row.at("state").get<std::string>() == "pending";
    list.push_back(std::move(row));
  }
  return list;
}

}  // namespace

void require_admin(sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("industry.log_in_first"));
  if (!context.member()->admin) throw sdk::HttpError(403, context.text("industry.admins_only"));
}

std::string application_state(sdk::Context& context, const std::string& member_id) {
  return text_of(application_of(context, member_id), "state");
}

sdk::Response apply_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/apply");
  return sdk::Response::html(context.render_page("apply", application_data(context)));
}

sdk::Response application_api(const sdk::Request&, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("industry.log_in_first"));
  return sdk::Response::json(application_data(context));
}

sdk::Response apply(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/apply");
  const std::string company = request.field("company");
  const std::string title = request.field("title");
  const std::string proof = request.field("proof");
  const auto years = parse_years(request.field("years"));
  if (company.empty() || characters(company) > 100 || title.empty() || characters(title) > 60 ||
      proof.empty() || characters(proof) > 1000 || !years) {
    throw sdk::HttpError(400, context.text("industry.application_fields"));
  }
  const sdk::Member& me = *context.member();
  const std::string now = time_text(context.clock().now());
  context.store().transaction([&](sdk::TenantStore& store) {
    const auto row = store.find_one(kTable, {{"member_id", me.id}});
    if (!may_apply(text_of(row, "state"))) {
      throw sdk::HttpError(409, context.text("industry.already_applied"));
    }
    const sdk::Json values = {{"email", me.email}, {"company", company}, {"title", title},
                              {"years", *years},   {"proof", proof},     {"state", "pending"},
                              {"reason", ""},      {"updated_at", now}};
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

// The decision and the tag move together: the row changes only from pending (so two admins
// deciding at once decide once), then the tag follows the decision.
sdk::Response decide_application(const sdk::Request& request, sdk::Context& context) {
  require_admin(context);
  const std::string& member_id = request.params.at("member");
  const std::string decision = request.field("decision");
  const std::string reason = request.field("reason");
  if (characters(reason) > 500) throw sdk::HttpError(400, context.text("industry.reason_too_long"));
  std::string decided;
  bool before = false;  // decided before this request
  context.store().transaction([&](sdk::TenantStore& store) {
    const auto row = store.find_one(kTable, {{"member_id", member_id}});
    if (!row) throw sdk::HttpError(404, context.text("industry.application_not_found"));
    const std::string state = row->at("state").get<std::string>();
    if (state != "pending") {
      decided = state;
      before = true;
      return;
    }
    const auto next = decide(state, decision, reason);
    if (!next) throw sdk::HttpError(400, context.text("industry.decision_fields"));
    const auto changed = store.update(
        kTable, {{"member_id", member_id}, {"state", "pending"}},
        {{"state", *next}, {"reason", reason}, {"updated_at", time_text(context.clock().now())}});
    if (changed != 1) throw sdk::HttpError(409, context.text("industry.already_decided"));
    decided = *next;
  });
  // Asked again, the tag is set as the decision left it: an admin's retry puts it right if the
  // server stopped between the two writes.
  context.set_tag(member_id, "verified", decided == "approved");
  if (before) throw sdk::HttpError(409, context.text("industry.already_decided"));
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

}  // namespace tribe::industry
