#include "crowdfunding.hpp"

#include <optional>

#include "club_rules.hpp"

namespace tribe::startup {
namespace {

constexpr const char* kSettlements = "startup_settlements";

const Project& project_named(const std::vector<Project>& projects, const sdk::Request& request,
                             sdk::Context& context) {
  for (const auto& project : projects) {
    if (project.id == request.params.at("id")) {
      if (!parse_date(project.deadline) || !sdk::flows::find_offer(context, project.offer)) {
        break;  // refused by the section check: defence only
      }
      return project;
    }
  }
  throw sdk::HttpError(404, context.text("startup.project_not_found"));
}

sdk::flows::EscrowPledge flow_of(const Project& project) {
  return sdk::flows::EscrowPledge(project.offer, project.goal,
                                  closes_at(*parse_date(project.deadline)));
}

std::optional<sdk::Json> settlement_of(sdk::Context& context, const Project& project) {
  return context.store().find_one(kSettlements, {{"project_id", project.id}});
}

sdk::Json project_json(const sdk::Request& request, sdk::Context& context, const Project& project) {
  const sdk::Offer& offer = *sdk::flows::find_offer(context, project.offer);
  const auto progress = flow_of(project).progress(context);
  const auto settled = settlement_of(context, project);
  const std::string outcome = settled ? settled->at("outcome").get<std::string>() : "";
  // Once given back the pledges no longer count: the page shows what was raised at the deadline.
  const std::int64_t raised = settled ? settled->at("raised").get<std::int64_t>() : progress.raised;
  const int percent =
      project.goal > 0 ? static_cast<int>(std::min<std::int64_t>(raised * 100 / project.goal, 999))
                       : 100;
  return {{"id", project.id},
          {"title", project.title},
          {"founder", project.founder},
          {"description", project.description},
          {"offer", offer.id},
          {"pledge_price", sdk::display_price(offer)},
          {"goal", project.goal},
          {"goal_display", sdk::display_price(project.goal, offer.currency)},
          {"raised", raised},
          {"raised_display", sdk::display_price(raised, offer.currency)},
          {"percent", percent},
          {"bar", std::min(percent, 100)},
          {"pledges", progress.pledges},
          {"deadline", project.deadline},
          {"closed", progress.closed},
          {"open", !progress.closed},
          {"outcome", outcome},
          {"funded", outcome == "funded"},
          {"refunded", outcome == "refunded"},
          {"awaiting", progress.closed && outcome.empty()},
          {"url", request.base + "/projects/" + project.id}};
}

sdk::Json project_detail(const sdk::Request& request, sdk::Context& context,
                         const Project& project) {
  sdk::Json json = project_json(request, context, project);
  sdk::Json mine = sdk::Json::array();
  sdk::Json all = sdk::Json::array();
  const bool admin = context.member() && context.member()->admin;
  for (const auto& held : context.money().holdings(project.offer)) {
    sdk::Json item = {{"order", held.order_id},
                      {"amount", sdk::display_price(held.amount, held.currency)},
                      {"state", held.state},
                      {"reason", held.reason}};
    if (context.member() && held.member_id == context.member()->id) mine.push_back(item);
    if (admin) {
      item["member"] = held.member_id;
      all.push_back(std::move(item));
    }
  }
  json["has_mine"] = !mine.empty();
  json["mine"] = std::move(mine);
  if (admin) json["holdings"] = std::move(all);
  json["logged_in"] = context.member() != nullptr;
  return json;
}

}  // namespace

std::vector<Project> projects_from(const sdk::Json& list) {
  std::vector<Project> projects;
  if (!list.is_array()) return projects;
  for (const auto& item : list) {
    projects.push_back({item.at("id").get<std::string>(), item.at("title").get<std::string>(),
                        item.at("offer").get<std::string>(), item.at("goal").get<std::int64_t>(),
                        item.at("deadline").get<std::string>(), item.value("founder", ""),
                        item.value("description", "")});
  }
  return projects;
}

std::vector<Project> projects_of(const sdk::Context& context) {
  return projects_from(context.site().config().value("projects", sdk::Json::array()));
}

Settlement settle_project(sdk::Context& context, const Project& project) {
  Settlement settlement;
  if (!parse_date(project.deadline) || !sdk::flows::find_offer(context, project.offer)) {
    return settlement;  // refused by the section check: defence only
  }
  const auto progress = flow_of(project).progress(context);
  if (!progress.closed) return settlement;
  // The outcome is decided by the first run after the deadline and never changes.
  sdk::TenantStore& store = context.store();
  if (auto row = settlement_of(context, project)) {
    settlement.outcome = row->at("outcome").get<std::string>();
  } else {
    settlement.outcome = outcome_for(progress.raised, project.goal);
    try {
      store.insert(kSettlements, {{"project_id", project.id},
                                  {"outcome", settlement.outcome},
                                  {"raised", progress.raised},
                                  {"settled_at", time_text(context.clock().now())}});
    } catch (const sdk::StoreError&) {
      // Decided concurrently (the hook on another node, an admin's button): the first stands.
      auto first = settlement_of(context, project);
      if (!first) throw;
      settlement.outcome = first->at("outcome").get<std::string>();
    }
  }
  sdk::Money& money = context.money();
  if (settlement.outcome == "funded") {
    settlement.released = money.release(project.offer, "funded: goal reached at the deadline");
    return settlement;
  }
  for (const auto& held : money.holdings(project.offer)) {
    if (held.state != "held" && held.state != "returning") continue;
    try {
      settlement.given_back += money.give_back(
          held.order_id,
          held.state == "returning" ? held.reason : "not funded: goal missed at the deadline");
    } catch (const sdk::HttpError& e) {
      ++settlement.failed;  // the provider did not refund: the pledge stays held, asked again
      context.log().warn("project '" + project.id + "': pledge of order " + held.order_id +
                         " not given back yet: " + e.what());
    }
  }
  return settlement;
}

void settle_all_projects(sdk::Context& context) {
  for (const auto& project : projects_of(context)) {
    const Settlement settled = settle_project(context, project);
    if (settled.released + settled.given_back + settled.failed > 0) {
      context.log().info("project '" + project.id + "' " + settled.outcome + ": " +
                         std::to_string(settled.released) + " pledge(s) released, " +
                         std::to_string(settled.given_back) + " given back, " +
                         std::to_string(settled.failed) + " to ask again");
    }
  }
}

sdk::Json project_listing(const sdk::Request& request, sdk::Context& context) {
  sdk::Json list = sdk::Json::array();
  for (const auto& project : projects_of(context)) {
    if (!parse_date(project.deadline) || !sdk::flows::find_offer(context, project.offer)) continue;
    list.push_back(project_json(request, context, project));
  }
  return list;
}

sdk::Response project_page(const sdk::Request& request, sdk::Context& context) {
  const auto projects = projects_of(context);
  const Project& project = project_named(projects, request, context);
  sdk::Json data = project_detail(request, context, project);
  data["idempotency_key"] = sdk::flows::fresh_idempotency_key();
  return sdk::Response::html(context.render_page("project", data));
}

sdk::Response project_api(const sdk::Request& request, sdk::Context& context) {
  const auto projects = projects_of(context);
  return sdk::Response::json(
      project_detail(request, context, project_named(projects, request, context)));
}

sdk::Response pledge(const sdk::Request& request, sdk::Context& context) {
  const auto projects = projects_of(context);
  const Project& project = project_named(projects, request, context);
  const auto flow = flow_of(project);
  if (flow.progress(context).closed) {
    throw sdk::HttpError(409, context.text("startup.project_closed"));
  }
  return flow.pledge()(request, context);
}

sdk::Response settle_api(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("startup.log_in_first"));
  if (!context.member()->admin) throw sdk::HttpError(403, context.text("startup.admins_only"));
  const auto projects = projects_of(context);
  const Settlement settled = settle_project(context, project_named(projects, request, context));
  return sdk::Response::json({{"outcome", settled.outcome},
                              {"released", settled.released},
                              {"given_back", settled.given_back},
                              {"failed", settled.failed}});
}

}  // namespace tribe::startup
