#pragma once
// All-or-nothing crowdfunding (众筹): each project of the YAML's `startup.projects` is sold by an
// escrow offer (`holds: escrow`, `fee`, `sold_by: plugin`: only POST /projects/{id}/pledge orders
// it, so never after the deadline); a pledge is an order of that offer, held in escrow. At the
// project's deadline the outcome is decided once (startup_settlements): the pledges held reach the
// goal -> every pledge is released to the project (the site keeps the offer's fee, the rest is owed
// to payouts:<offer>); else every pledge is given back. The flow kit's EscrowPledge does the money.
#include <cstdint>
#include <string>
#include <tribe/sdk/sdk.hpp>
#include <vector>

namespace tribe::startup {

struct Project {
  std::string id;
  std::string title;
  std::string offer;
  std::int64_t goal = 0;  // minor units of the offer's currency
  std::string deadline;   // YYYY-MM-DD: pledges are taken to the end of that UTC day
  std::string founder;
  std::string description;
};

std::vector<Project> projects_from(const sdk::Json& list);
std::vector<Project> projects_of(const sdk::Context& context);

struct Settlement {
  std::string outcome = "open";  // open (before the deadline), funded or refunded
  std::size_t released = 0;      // pledges released by this run
  int given_back = 0;            // pledges given back by this run
  int failed = 0;                // pledges the provider did not refund yet: asked again next run
};
// Settles the project if its deadline has passed: safe to run again and concurrently (the
// outcome is written once; each pledge settles once in the kernel's money service).
Settlement settle_project(sdk::Context& context, const Project& project);

// Every project whose deadline has passed (the hourly scheduled hook).
void settle_all_projects(sdk::Context& context);

// The projects for the home page with their progress.
sdk::Json project_listing(const sdk::Request& request, sdk::Context& context);

// GET /projects/{id} and GET /api/projects/{id}: progress (the sum of the pledges held), the
// deadline and state, the member's pledges and the Pledge button while open; admins see every
// pledge.
sdk::Response project_page(const sdk::Request& request, sdk::Context& context);
sdk::Response project_api(const sdk::Request& request, sdk::Context& context);
// POST /projects/{id}/pledge: an order of the escrow offer (409 once closed).
sdk::Response pledge(const sdk::Request& request, sdk::Context& context);
// POST /api/projects/{id}/settle: an admin settles now (what the hourly hook does).
sdk::Response settle_api(const sdk::Request& request, sdk::Context& context);

}  // namespace tribe::startup
