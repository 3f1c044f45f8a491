// The learning plugin: a camp sold in cohorts with a term, deposit check-in challenges and the
// next cohort offered as one ends.
#include <algorithm>
#include <string>
#include <tribe/sdk/sdk.hpp>

#include "challenge_pages.hpp"
#include "checkin_log.hpp"
#include "cohort_pages.hpp"
#include "section_check.hpp"

namespace tribe::learning {
namespace {

sdk::Schema section_schema() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  auto cohort = Schema::object({
      required("id", Schema::string(), "URL name of the cohort, e.g. spring-2027"),
      required("title", Schema::string()),
      required("offer", Schema::string(),
               "the offer selling a seat: its term is the seat's, its capacity the seats"),
      optional("starts", Schema::string(), "first day, e.g. 2027-01-04 (shown to buyers)"),
      optional("ends", Schema::string(), "last day (shown to buyers)"),
      optional("description", Schema::string(), "shown to everyone"),
      optional("members_note", Schema::string(), "shown only to members with a seat"),
  });
  auto challenge = Schema::object({
      required("id", Schema::string(), "URL name of the challenge"),
      required("title", Schema::string()),
      required("offer", Schema::string(),
               "the deposit offer (holds: deposit, forfeit_to: where a forfeit goes)"),
      required("days", Schema::integer(), "the member's window in days, from the deposit's day"),
      required("required", Schema::integer(), "check-in days in the window to get it back"),
      optional("description", Schema::string()),
  });
  return Schema::object({
      optional("tagline", Schema::string(), "one line under the site name on the home page"),
      optional("cohorts", Schema::list_of(cohort),
               "the cohorts in sequence: each one's next is the following entry"),
      optional("offer_next_days", Schema::integer(),
               "offer the next cohort this many days before a member's seat ends (default 7)"),
      optional("challenges", Schema::list_of(challenge), "deposit check-in challenges"),
  });
}

sdk::Response home(const sdk::Request& request, sdk::Context& context) {
  sdk::Json cohorts = cohort_listing(request, context);
  sdk::Json challenges = challenge_listing(request, context);
  const bool has_cohorts = !cohorts.empty();
  const bool has_challenges = !challenges.empty();
  return sdk::Response::html(
      context.render_page("home", {{"tagline", context.site().config().value("tagline", "")},
                                   {"cohorts", std::move(cohorts)},
                                   {"has_cohorts", has_cohorts},
                                   {"challenges", std::move(challenges)},
                                   {"has_challenges", has_challenges}}));
}

// A member may check in while they hold a running seat in a cohort or a challenge window runs.
bool may_check_in(sdk::Context& context) {
  return in_a_cohort(context) || in_a_challenge(context);
}

sdk::Json learning_data(sdk::Context& context) {
  CheckinLog log(context.store());
  const std::string& me = context.member()->id;
  sdk::Json cohorts = member_cohorts(context);
  sdk::Json challenges = member_challenges(context);
  return {{"today", iso_date(today(context))},
          {"checked_in_today", log.checked_in(me, today(context))},
          {"may_check_in", may_check_in(context)},
          {"checkin_days", log.days_of(me).size()},
          {"has_cohorts", !cohorts.empty()},
          {"cohorts", std::move(cohorts)},
          {"has_challenges", !challenges.empty()},
          {"challenges", std::move(challenges)}};
}

// The member's page: their seats (and the next cohort near a seat's end), their challenges and
// today's check-in.
sdk::Response learn_page(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/learn");
  return sdk::Response::html(context.render_page("learn", learning_data(context)));
}

sdk::Response learn_api(const sdk::Request&, sdk::Context& context) {
  if (!context.member()) throw sdk::HttpError(401, context.text("learning.log_in_first"));
  return sdk::Response::json(learning_data(context));
}

// One check-in a day, back to the member's page either way (post/redirect/get).
sdk::Response check_in(const sdk::Request& request, sdk::Context& context) {
  if (!context.member()) return sdk::Response::redirect(request.base + "/login?next=/learn");
  if (!may_check_in(context)) throw sdk::HttpError(403, context.text("learning.checkin_closed"));
  const std::string note = request.field("note");
  const auto characters =
      std::count_if(note.begin(), note.end(), [](char c) { return (c & 0xC0) != 0x80; });  // UTF-8
  if (characters > 500) throw sdk::HttpError(400, context.text("learning.checkin_note_too_long"));
  CheckinLog(context.store()).check_in(context.member()->id, today(context), note);
  return sdk::Response::redirect(request.base + "/learn");
}

class LearningPlugin : public sdk::Plugin {
 public:
  void register_with(sdk::Registry& registry) override {
    registry.add_community_type(
        {"learning", "a shared need to learn: paid cohorts, deposit challenges, the next cohort"});
    registry.set_config_schema(section_schema());
    // What the schema cannot see (a cohort's or challenge's unknown offer or one of the wrong
    // shape, a check-in rule that cannot be met): file:line:col errors, so such a site is not
    // served until its YAML is fixed.
    registry.set_section_check(section_problems);
    sdk::register_bundled_files(registry);  // migrations/, templates/, messages/
    // A deposit's window starts the day it is paid; the deposits whose window is over are
    // settled within the hour, by the kernel's scheduler (also when the server was down then).
    registry.on_event("order.paid", on_order_paid);
    registry.every(std::chrono::hours(1), settle_all_due);
    registry.add_route({sdk::Method::Get, "/", home});
    registry.add_route({sdk::Method::Get, "/cohorts/{id}", cohort_page});
    registry.add_route({sdk::Method::Post, "/cohorts/{id}/join", join_cohort});
    registry.add_route({sdk::Method::Get, "/learn", learn_page});
    registry.add_route({sdk::Method::Get, "/api/learning", learn_api});
    registry.add_route({sdk::Method::Post, "/checkins", check_in});
    registry.add_funnel_step(
        "check_ins", [](sdk::Context& context, const std::string& from, const std::string& to) {
          return CheckinLog(context.store()).checkins_between(from, to);
        });
    registry.add_route({sdk::Method::Get, "/challenges/{id}", challenge_page});
    registry.add_route({sdk::Method::Get, "/api/challenges/{id}", challenge_api});
    registry.add_route({sdk::Method::Post, "/challenges/{id}/join", join_challenge});
    registry.add_route({sdk::Method::Post, "/challenges/{id}/settle", settle_challenge});
    registry.add_route({sdk::Method::Post, "/api/challenges/{id}/settle", settle_challenge_api});
  }
};

}  // namespace
}  // namespace tribe::learning

TRIBE_PLUGIN(tribe::learning::LearningPlugin, "learning", "0.1.0", "learning",
             "Learning communities: cohorts with a term, deposit check-in challenges and the next "
             "cohort offered as one ends")
