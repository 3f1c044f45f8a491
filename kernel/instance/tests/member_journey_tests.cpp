// A member's journey as the instance serves it, with the clock in the test's hands: a paid group
// opens on payment, the scheduler's sweep ends it with the term and the page then refuses, a
// renewal extends the term without a gap, and a partner's referral earns commissions that are held
// through the refund window and then become payable.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kernel/instance/instance.hpp"
#include "kernel/money/ledger.hpp"
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
  explicit Member(Instance& instance, std::string host = "club.localhost")
      : instance_(instance), host_(std::move(host)) {}

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
    if (auto query = path.find('?'); query != std::string::npos) {
      const std::string pair = path.substr(query + 1);
      request.path = path.substr(0, query);
      request.query[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
    }
    sdk::Response response = instance_.handle(request, host_);
    for (const auto& [name, value] : response.headers) {
      if (name != "Set-Cookie") continue;
      const auto equals = value.find('=');
      cookies_[value.substr(0, equals)] = value.substr(equals + 1, value.find(';') - equals - 1);
    }
    return response;
  }

  Instance& instance_;
  std::string host_;
  std::map<std::string, std::string> cookies_;
};

// An instance serving one site file, with the clock in the test's hands.
class ClockedInstanceTest : public ::testing::Test {
 protected:
  // `yaml` is the site file's text, `host` its host name, `secret` its webhook secret.
  void start(const std::string& yaml, std::string host, std::string secret) {
    host_ = std::move(host);
    secret_ = std::move(secret);
    dir_ = fs::temp_directory_path() /
           ("tribe-clocked-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sites");
    std::ofstream(dir_ / "sites" / "site.yaml") << yaml;
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

  Member visitor() { return Member(*instance_, host_); }

  void sign_up(Member& member, const std::string& name) {
    member.get("/signup");
    ASSERT_EQ(member
                  .post_form("/signup", {{"email", name + "@example.com"},
                                         {"password", "correct horse battery"}})
                  .status,
              303);
  }

  // Sessions last 30 days of the site's clock: after a longer jump the member logs in again.
  void log_in(Member& member, const std::string& name) {
    ASSERT_EQ(member
                  .post_form("/login", {{"email", name + "@example.com"},
                                        {"password", "correct horse battery"}})
                  .status,
              303);
  }

  // Orders `offer` and pays it through the sandbox webhook, signed now (signatures age in real
  // time, whatever the site's clock says).
  void buy(Member& member, const std::string& offer, const std::string& key) {
    const auto order = sdk::Json::parse(
        member
            .post_json("/api/orders", sdk::Json{{"offer", offer}, {"idempotency_key", key}}.dump())
            .body);
    ASSERT_TRUE(order.contains("id")) << order.dump();
    const std::string event = sdk::Json{
        {"id", "evt-" + key},
        {"type", "payment.succeeded"},
        {"order_id", order["id"]},
        {"amount", order["amount"]},
        {"currency",
         order["currency"]}}.dump();
    sdk::Request webhook;
    webhook.method = sdk::Method::Post;
    webhook.path = "/payments/sandbox/webhook";
    webhook.body = event;
    webhook.request_id = "rid";
    webhook.headers["tribe-signature"] =
        money::sign_webhook(secret_, store::unix_seconds(std::chrono::system_clock::now()), event);
    const sdk::Response paid = instance_->handle(webhook, host_);
    ASSERT_EQ(paid.status, 200) << log_.str();
    ASSERT_THAT(paid.body, HasSubstr("\"applied\""));
  }

  fs::path dir_;
  std::string host_;
  std::string secret_;
  std::ostringstream log_;
  TestClock clock_{kStart};
  std::unique_ptr<Instance> instance_;
};

class TermAccessTest : public ClockedInstanceTest {
 protected:
  void SetUp() override { start(kSite, "club.localhost", "test-secret"); }
  void buy_month(Member& member, const std::string& key) { buy(member, "camp-month", key); }

  Member signed_up_member() {
    Member member = visitor();
    sign_up(member, "ann");
    return member;
  }
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
  EXPECT_EQ(member.get("/groups/camp").status, 303);  // the session ended too: log in first
  log_in(member, "ann");
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
  log_in(member, "ann");
  EXPECT_EQ(member.get("/groups/camp").status, 200);

  clock_.set(kStart + days(62));
  instance_->run_due_jobs(clock_.now());
  EXPECT_EQ(member.get("/groups/camp").status, 403);
}

}  // namespace
}  // namespace tribe::kernel::instance

namespace tribe::kernel::instance {
namespace {

// The reading-club demo site as shipped: a visitor comes by a partner's link, signs up (fan),
// buys the membership (member) and renews; the partner's commissions are held through the refund
// window and then become payable through the scheduler's sweep.
class ReferralWalkTest : public ClockedInstanceTest {
 protected:
  void SetUp() override {
    std::ifstream demo(fs::path(TRIBE_SOURCE_DIR) / "sites" / "reading-club.yaml");
    std::stringstream yaml;
    yaml << demo.rdbuf();
    start(yaml.str(), "reading-club.localhost", "sandbox-demo-secret-reading-club");
  }

  static sdk::Json json(const sdk::Response& response) { return sdk::Json::parse(response.body); }

  // The partner's commissions as "<amount> <state>" lines.
  std::vector<std::string> commissions(Member& partner) {
    std::vector<std::string> lines;
    const sdk::Json page = json(partner.get("/api/partner"));
    for (const auto& commission : page["commissions"]) {
      lines.push_back(commission["display_amount"].get<std::string>() + " L" +
                      std::to_string(commission["level"].get<int>()) + " " +
                      commission["state"].get<std::string>());
    }
    return lines;
  }
};

TEST_F(ReferralWalkTest, PartnerLinkSignUpMembershipRenewalAndCommissions) {
  Member partner = visitor();
  sign_up(partner, "pat");
  buy(partner, "partner", "pat-partner");
  const sdk::Json pat = json(partner.get("/api/me"));
  ASSERT_EQ(pat["stage"], "partner") << pat.dump();
  const std::string link = json(partner.get("/api/partner"))["link"];
  EXPECT_EQ(link, "/?ref=" + pat["id"].get<std::string>());

  Member reader = visitor();
  EXPECT_EQ(reader.get(link).status, 200);  // arrives by the partner link
  sign_up(reader, "vic");
  EXPECT_EQ(json(reader.get("/api/me"))["stage"], "fan");
  EXPECT_EQ(json(partner.get("/api/partner"))["referrals"].size(), 1u);

  buy(reader, "membership", "vic-1");
  const sdk::Json vic = json(reader.get("/api/me"));
  EXPECT_EQ(vic["stage"], "member");
  ASSERT_EQ(vic["ladder"].size(), 2u);
  EXPECT_EQ(vic["ladder"][0]["stage"], "fan");
  EXPECT_EQ(vic["ladder"][1]["stage"], "member");
  EXPECT_EQ(reader.get("/members").status, 200);
  EXPECT_THAT(commissions(partner), ::testing::ElementsAre("19.90 CNY L1 held"));

  clock_.set(kStart + days(3));
  instance_->run_due_jobs(clock_.now());
  EXPECT_THAT(commissions(partner), ::testing::ElementsAre("19.90 CNY L1 held"));

  buy(reader, "membership", "vic-renewal");  // renews for another year, without a gap
  EXPECT_THAT(reader.get("/account").body, HasSubstr("2028-11-23 10:00 UTC"));

  clock_.set(kStart + days(8));  // the first order's 7-day refund window is over
  instance_->run_due_jobs(clock_.now());
  EXPECT_THAT(commissions(partner),
              ::testing::UnorderedElementsAre("19.90 CNY L1 payable", "19.90 CNY L1 held"));
  clock_.set(kStart + days(11));
  instance_->run_due_jobs(clock_.now());
  EXPECT_THAT(commissions(partner),
              ::testing::ElementsAre("19.90 CNY L1 payable", "19.90 CNY L1 payable"));
  EXPECT_THAT(partner.get("/partner").body, HasSubstr("39.80 CNY"));
  EXPECT_TRUE(money::Ledger(*instance_->database()).check().balanced());
}

}  // namespace
}  // namespace tribe::kernel::instance
