#include "demo_site_walk.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "kernel/money/ledger.hpp"
#include "kernel/store/database.hpp"
#include "site_walk.hpp"

namespace tribe::testing {
namespace fs = std::filesystem;

void DemoSiteWalk::SetUp() {
  dir_ =
      fs::temp_directory_path() / ("tribe-" + site_ + "-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir_);
  fs::create_directories(dir_ / "sites");
  fs::copy_file(fs::path(TRIBE_SOURCE_DIR) / "sites" / (site_ + ".yaml"), site_file());
}

void DemoSiteWalk::TearDown() {
  server_.reset();
  fs::remove_all(dir_);
}

fs::path DemoSiteWalk::site_file() const {
  return dir_ / "sites" / (site_ + ".yaml");
}

std::vector<HttpReply> DemoSiteWalk::buy_at_once(std::vector<HttpVisitor>& buyers,
                                                 const std::string& path) {
  std::vector<HttpReply> replies(buyers.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    threads.emplace_back([&, i] {
      replies[i] = buyers[i].post_form(path, {{"idempotency_key", "at-once-" + std::to_string(i)}});
    });
  }
  for (auto& thread : threads) thread.join();
  return replies;
}

std::string DemoSiteWalk::site_yaml() const {
  std::ifstream in(site_file());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void DemoSiteWalk::expect_shipped_site_validates() const {
  const CommandResult result = run_command(
      tribe_binary(), {"validate", "--plugin-dir", TRIBE_PLUGIN_DIR, site_file().string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

std::string DemoSiteWalk::database_url() const {
  return "sqlite:" + (dir_ / "tribe.db").string();
}

void DemoSiteWalk::serve(int days) {
  server_.reset();
  std::vector<std::string> args = {"--sites",      (dir_ / "sites").string(),
                                   "--db",         database_url(),
                                   "--plugin-dir", TRIBE_PLUGIN_DIR};
  if (days > 0) {
    args.push_back("--clock-offset");
    args.push_back("P" + std::to_string(days) + "D");
  }
  server_ = std::make_unique<ServedTribe>(args);
}

HttpVisitor DemoSiteWalk::sign_up(const std::string& email, const std::string& arrival) {
  HttpVisitor browser(server_->port(), site_ + ".localhost");
  EXPECT_EQ(browser.get(arrival).status, 200) << arrival;
  browser.get("/signup");
  const HttpReply reply = browser.post_form("/signup", {{"email", email},
                                                        {"display_name", email.substr(0, 12)},
                                                        {"password", "correct horse battery"}});
  EXPECT_EQ(reply.status, 303) << reply.body;
  return browser;
}

void DemoSiteWalk::log_in(HttpVisitor& browser, const std::string& email) {
  browser.get("/login");
  const HttpReply reply =
      browser.post_form("/login", {{"email", email}, {"password", "correct horse battery"}});
  EXPECT_EQ(reply.status, 303) << reply.body;
}

std::string DemoSiteWalk::become_partner(HttpVisitor& browser, const std::string& offer) {
  const HttpReply created = browser.post_json(
      "/api/orders",
      sdk::Json{{"offer", offer}, {"idempotency_key", "become-partner-" + offer}}.dump());
  EXPECT_EQ(created.status, 201) << created.body;
  const sdk::Json order = sdk::Json::parse(created.body, nullptr, false);
  const std::string order_id = order.is_object() ? order.value("id", "") : "";
  EXPECT_EQ(browser.get("/checkout/" + order_id).status, 200);
  EXPECT_EQ(browser.post_form("/checkout/" + order_id + "/pay", {}).status, 303);
  EXPECT_EQ(order_state(browser, order_id), "fulfilled");
  const sdk::Json page = get_json(browser, "/api/partner");
  EXPECT_EQ(page.value("stage", ""), "partner");
  return page.value("link", "");
}

std::vector<std::string> DemoSiteWalk::commissions(HttpVisitor& partner) {
  std::vector<std::string> states;
  const sdk::Json page = get_json(partner, "/api/partner");
  for (const auto& commission : page.value("commissions", sdk::Json::array())) {
    states.push_back(commission["display_amount"].get<std::string>() + " L" +
                     std::to_string(commission["level"].get<int>()) + " " +
                     commission["state"].get<std::string>());
  }
  return states;
}

bool DemoSiteWalk::await_payable(HttpVisitor& partner, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    const std::vector<std::string> states = commissions(partner);
    if (states.size() == count &&
        std::all_of(states.begin(), states.end(),
                    [](const std::string& state) { return state.ends_with(" payable"); })) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

sdk::Json DemoSiteWalk::expect_funnel(HttpVisitor& admin, const FunnelCounts& expected) {
  const sdk::Json funnel =
      get_json(admin, "/api/funnel?from=" + utc_date(-1) + "&to=" + utc_date(kFunnelDays));
  if (!funnel.is_object()) {
    ADD_FAILURE() << "the funnel is not a JSON object: " << funnel.dump();
    return funnel;
  }
  const struct {
    const char* group;
    const char* field;
    int count;
  } counts[] = {
      {"acquire", "visits", expected.visits},
      {"acquire", "referral_arrivals", expected.referral_arrivals},
      {"acquire", "sign_ups", expected.sign_ups},
      {"convert", "first_purchases", expected.first_purchases},
      {"repurchase", "buyers", expected.buyers},
      {"repurchase", "repeat_buyers", expected.repeat_buyers},
      {"repurchase", "repeat_purchases", expected.repeat_purchases},
      {"refer", "referred_sign_ups", expected.referred_sign_ups},
      {"refer", "referred_purchases", expected.referred_purchases},
  };
  for (const auto& [group, field, count] : counts) {
    const sdk::Json::json_pointer at(std::string("/") + group + "/" + field);
    const sdk::Json actual = funnel.contains(at) ? funnel[at] : sdk::Json();
    EXPECT_EQ(actual, count) << group << "." << field << " in " << funnel.dump();
  }
  EXPECT_EQ(funnel.value("ladder", sdk::Json()), expected.ladder) << "ladder in " << funnel.dump();
  return funnel;
}

std::int64_t DemoSiteWalk::balance(const std::string& account, const std::string& currency) const {
  auto database = kernel::store::Database::open(database_url(), 1);
  return kernel::money::Ledger(*database).balance(site_, account, currency);
}

void DemoSiteWalk::expect_ledger_checks() {
  server_.reset();
  const CommandResult check =
      run_command(tribe_binary(), {"ledger", "check", "--db", database_url()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

std::string utc_date(int days_from_today) {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                   std::chrono::days(days_from_today);
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace tribe::testing
