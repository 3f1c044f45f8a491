// A paid term as the instance serves it, with the clock in the test's hands: the guarded group
// page opens on payment, the scheduler's sweep expires the entitlement when the term is over and
// the page then refuses, and a renewal bought before the end extends the term without a gap.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kernel/instance/instance.hpp"
#include "kernel/money/webhook_signature.hpp"
#include "kernel/store/timestamp.hpp"

namespace tribe::kernel::instance {
namespace {

namespace fs = std::filesystem;
using std::chrono::days;
using ::testing::HasSubstr;

class TestClock : public sdk::Clock {
 public:
  explicit TestClock(std::chrono::system_clock::time_point start) : now_(start) {}
  std::chrono::system_clock::time_point now() const override { return now_.load(); }
  void set(std::chrono::system_clock::time_point time) { now_ = time; }

 private:
  std::atomic<std::chrono::system_clock::time_point> now_;
};

// 2026-11-23T10:00:00Z: a month from it is 2026-12-23, two months 2027-01-23.
const auto kStart = store::from_unix_seconds(1795428000);

constexpr const char* kSite = R"(id: club
name: Club
type: interest
locale: en
hosts: [club.localhost]
payments: {provider: sandbox, secret: test-secret}
offers:
  - {id: camp-month, kind: group, title: Camp, price: 990, currency: EUR, term: P1M,
     grants: [group.camp]}
interest:
  groups:
    - {id: camp, title: Reading camp, members_note: Chapter three tonight}
)";

// One browser of the club site, talking to Instance::handle directly with its cookies.
class Member {
 public:
  explicit Member(Instance& instance) : instance_(instance) {}

  sdk::Response get(const std::string& path) { return send(sdk::Method::Get, path, {}, ""); }
  sdk::Response post_form(const std::string& path, std::map<std::string, std::string> form) {
    form["csrf_token"] = cookies_["tribe_csrf"];
    return send(sdk::Method::Post, path, std::move(form), "");
  }
  sdk::Response post_json(const std::string& path, const std::string& body) {
    return send(sdk::Method::Post, path, {}, body);
  }

 private:
  sdk::Response send(sdk::Method method, const std::string& path,
                     std::map<std::string, std::string> form, const std::string& body) {
    sdk::Request request;
    request.method = method;
    request.path = path;
    request.form = std::move(form);
    request.body = body;
    request.cookies = cookies_;
    request.client_address = "127.0.0.1";
    request.request_id = "rid";
    request.headers["x-csrf-token"] = cookies_["tribe_csrf"];
    if (!body.empty()) request.headers["accept"] = "application/json";
    sdk::Response response = instance_.handle(request, "club.localhost");
    for (const auto& [name, value] : response.headers) {
      if (name != "Set-Cookie") continue;
      const auto equals = value.find('=');
      cookies_[value.substr(0, equals)] = value.substr(equals + 1, value.find(';') - equals - 1);
    }
    return response;
  }

  Instance& instance_;
  std::map<std::string, std::string> cookies_;
};

class TermAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tribe-term-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sites");
    std::ofstream(dir_ / "sites" / "club.yaml") << kSite;
    InstanceOptions options;
    options.sites_dir = dir_ / "sites";
    options.plugin_dirs = {TRIBE_PLUGIN_DIR};
    options.database_url = "sqlite:" + (dir_ / "tribe.db").string();
    options.log = &log_;
    options.clock = &clock_;
    instance_ = std::make_unique<Instance>(options);
    instance_->load_plugins();
    instance_->load_sites();
    instance_->prepare_storage();
    instance_->mount_routes();
  }
  void TearDown() override {
    instance_.reset();
    fs::remove_all(dir_);
  }

  // Buys a month of the camp and pays it through the sandbox webhook, signed at the clock's now.
  void buy_month(Member& member, const std::string& key) {
    const auto order = sdk::Json::parse(
        member
            .post_json("/api/orders", R"({"offer":"camp-month","idempotency_key":")" + key + "\"}")
            .body);
    ASSERT_TRUE(order.contains("id")) << order.dump();
    const std::string event = sdk::Json{
        {"id", "evt-" + key},
        {"type", "payment.succeeded"},
        {"order_id", order["id"]},
        {"amount", 990},
        {"currency", "EUR"}}.dump();
    sdk::Request webhook;
    webhook.method = sdk::Method::Post;
    webhook.path = "/payments/sandbox/webhook";
    webhook.body = event;
    webhook.request_id = "rid";
    webhook.headers["tribe-signature"] =
        money::sign_webhook("test-secret", store::unix_seconds(clock_.now()), event);
    const sdk::Response paid = instance_->handle(webhook, "club.localhost");
    ASSERT_EQ(paid.status, 200) << paid.body;
    ASSERT_THAT(paid.body, HasSubstr("\"applied\""));
  }

  Member signed_up_member() {
    Member member(*instance_);
    member.get("/signup");
    EXPECT_EQ(member
                  .post_form("/signup",
                             {{"email", "ann@example.com"}, {"password", "correct horse battery"}})
                  .status,
              303);
    return member;
  }

  fs::path dir_;
  std::ostringstream log_;
  TestClock clock_{kStart};
  std::unique_ptr<Instance> instance_;
};

TEST_F(TermAccessTest, TheSweepExpiresTheTermAndTheGroupPageThenRefuses) {
  Member member = signed_up_member();
  EXPECT_EQ(member.get("/groups/camp").status, 403);
  buy_month(member, "first");
  const sdk::Response open = member.get("/groups/camp");
  EXPECT_EQ(open.status, 200);
  EXPECT_THAT(open.body, HasSubstr("Chapter three tonight"));
  EXPECT_THAT(member.get("/account").body, HasSubstr("until 2026-12-23 10:00 UTC"));

  clock_.set(kStart + days(29));
  instance_->run_due_jobs(clock_.now());
  EXPECT_EQ(member.get("/groups/camp").status, 200);
  EXPECT_THAT(log_.str(), ::testing::Not(HasSubstr("entitlement 'group.camp'")));

  clock_.set(kStart + days(31));
  EXPECT_GE(instance_->run_due_jobs(clock_.now()), 1u);
  EXPECT_THAT(log_.str(), HasSubstr("entitlement 'group.camp' of account"));
  EXPECT_EQ(member.get("/groups/camp").status, 403);
  EXPECT_THAT(member.get("/account").body, HasSubstr("class=\"ended\""));
}

TEST_F(TermAccessTest, ARenewalBeforeTheEndExtendsTheTermWithoutAGap) {
  Member member = signed_up_member();
  buy_month(member, "first");
  clock_.set(kStart + days(20));
  buy_month(member, "renewal");
  EXPECT_THAT(member.get("/account").body, HasSubstr("until 2027-01-23 10:00 UTC"));

  clock_.set(kStart + days(45));  // past the first month: the renewal's month runs
  instance_->run_due_jobs(clock_.now());
  EXPECT_EQ(member.get("/groups/camp").status, 200);

  clock_.set(kStart + days(62));
  instance_->run_due_jobs(clock_.now());
  EXPECT_EQ(member.get("/groups/camp").status, 403);
}

}  // namespace
}  // namespace tribe::kernel::instance
