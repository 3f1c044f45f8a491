#include "kernel/plugins/registry_recorder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tribe::kernel::plugins {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

sdk::Response page(const sdk::Request&, sdk::Context&) {
  return sdk::Response::html("page");
}

class RegistryRecorderTest : public ::testing::Test {
 protected:
  Contributions recorded;
  RegistryRecorder registry{recorded};
};

TEST_F(RegistryRecorderTest, RecordsEachContribution) {
  registry.add_community_type({"reading", "Reading clubs"});
  registry.set_config_schema(sdk::Schema::string());
  registry.add_migration({1, "books", "CREATE TABLE reading_books (tenant_id TEXT)"});
  registry.add_template("home", "<h1>{{title}}</h1>");
  registry.add_messages("en", "reading.title: Books");
  registry.add_route({sdk::Method::Get, "/books", &page});
  registry.on_site_start([](sdk::Context&) {});

  ASSERT_EQ(recorded.community_types.size(), 1u);
  EXPECT_EQ(recorded.community_types[0].description, "Reading clubs");
  ASSERT_TRUE(recorded.config_schema.has_value());
  EXPECT_EQ(recorded.config_schema->type(), sdk::Schema::Type::String);
  ASSERT_EQ(recorded.migrations.size(), 1u);
  EXPECT_EQ(recorded.migrations[0].name, "books");
  EXPECT_EQ(recorded.templates.at("home"), "<h1>{{title}}</h1>");
  EXPECT_EQ(recorded.messages.at("en"), "reading.title: Books");
  ASSERT_EQ(recorded.routes.size(), 1u);
  EXPECT_EQ(recorded.routes[0].pattern, "/books");
  EXPECT_EQ(recorded.site_hooks.size(), 1u);
}

TEST_F(RegistryRecorderTest, ConfigSchemaIsSetOnce) {
  registry.set_config_schema(sdk::Schema::string());
  EXPECT_THAT([&] { registry.set_config_schema(sdk::Schema::integer()); },
              ThrowsMessage<RegistryError>(HasSubstr("set_config_schema called twice")));
  EXPECT_EQ(recorded.config_schema->type(), sdk::Schema::Type::String);
}

TEST_F(RegistryRecorderTest, SectionCheckIsSetOnceAndNotEmpty) {
  EXPECT_THAT([&] { registry.set_section_check(nullptr); },
              ThrowsMessage<RegistryError>(HasSubstr("the check is empty")));
  registry.set_section_check([](const sdk::Json&, const std::vector<sdk::Offer>& offers) {
    return std::vector<sdk::SectionProblem>{{"posts", std::to_string(offers.size())}};
  });
  EXPECT_THAT(
      [&] {
        registry.set_section_check([](const sdk::Json&, const std::vector<sdk::Offer>&) {
          return std::vector<sdk::SectionProblem>{};
        });
      },
      ThrowsMessage<RegistryError>(HasSubstr("set_section_check called twice")));
  ASSERT_TRUE(recorded.section_check);
  EXPECT_EQ(recorded.section_check(sdk::Json::object(), {})[0].message, "0");
}

TEST_F(RegistryRecorderTest, RouteIsKeyedByMethodAndPattern) {
  registry.add_route({sdk::Method::Get, "/books/{id}", &page});
  registry.add_route({sdk::Method::Post, "/books/{id}", &page});
  EXPECT_THAT(
      [&] {
        registry.add_route({sdk::Method::Post, "/books/{id}", &page});
      },
      ThrowsMessage<RegistryError>("route POST /books/{id} is added twice"));
  EXPECT_EQ(recorded.routes.size(), 2u);
}

TEST_F(RegistryRecorderTest, RouteNeedsAPatternFromTheRootAndAHandler) {
  EXPECT_THROW(registry.add_route({sdk::Method::Get, "books", &page}), RegistryError);
  EXPECT_THROW(registry.add_route({sdk::Method::Get, "/books", nullptr}), RegistryError);
  EXPECT_TRUE(recorded.routes.empty());
}

TEST_F(RegistryRecorderTest, TemplatesAndCataloguesHaveUniqueNames) {
  registry.add_template("home", "a");
  EXPECT_THAT([&] { registry.add_template("home", "b"); },
              ThrowsMessage<RegistryError>("template 'home' is added twice"));
  EXPECT_EQ(recorded.templates.at("home"), "a");

  registry.add_messages("zh-CN", "a: 甲");
  EXPECT_THAT([&] { registry.add_messages("zh-CN", "a: 乙"); },
              ThrowsMessage<RegistryError>("messages for locale 'zh-CN' are added twice"));
  EXPECT_EQ(recorded.messages.at("zh-CN"), "a: 甲");
}

TEST_F(RegistryRecorderTest, MigrationVersionsArePositiveAndUnique) {
  EXPECT_THAT(
      [&] {
        registry.add_migration({0, "zero", ""});
      },
      ThrowsMessage<RegistryError>(HasSubstr("has version 0; versions are positive")));
  EXPECT_THROW(registry.add_migration({-3, "negative", ""}), RegistryError);
  registry.add_migration({2, "second", ""});
  EXPECT_THAT(
      [&] {
        registry.add_migration({2, "again", ""});
      },
      ThrowsMessage<RegistryError>(HasSubstr("migration version 2 is used twice")));
  ASSERT_EQ(recorded.migrations.size(), 1u);
  EXPECT_EQ(recorded.migrations[0].name, "second");
}

TEST_F(RegistryRecorderTest, CommunityTypeIsAddedOnce) {
  registry.add_community_type({"reading", ""});
  EXPECT_THROW(registry.add_community_type({"reading", "again"}), RegistryError);
  EXPECT_EQ(recorded.community_types.size(), 1u);
}

TEST_F(RegistryRecorderTest, ScheduledHookRunsAtMostEveryMinuteAndAtLeastDaily) {
  registry.every(std::chrono::hours(1), [](sdk::Context&) {});
  registry.every(std::chrono::minutes(1), [](sdk::Context&) {});
  ASSERT_EQ(recorded.periodic_hooks.size(), 2u);
  EXPECT_EQ(recorded.periodic_hooks[0].first, std::chrono::hours(1));
  EXPECT_THAT([&] { registry.every(std::chrono::seconds(59), [](sdk::Context&) {}); },
              ThrowsMessage<RegistryError>(HasSubstr("give 60 s to 86400 s")));
  EXPECT_THAT([&] { registry.every(std::chrono::hours(25), [](sdk::Context&) {}); },
              ThrowsMessage<RegistryError>(HasSubstr("1 minute to 1 day")));
  EXPECT_THAT([&] { registry.every(std::chrono::hours(1), nullptr); },
              ThrowsMessage<RegistryError>(HasSubstr("the hook is empty")));
  EXPECT_EQ(recorded.periodic_hooks.size(), 2u);
}

TEST_F(RegistryRecorderTest, FunnelStepsHaveUniqueNamesOfLowerCaseWords) {
  const auto zero = [](sdk::Context&, const std::string&, const std::string&) {
    return std::int64_t{0};
  };
  registry.add_funnel_step("check_ins", zero);
  registry.add_funnel_step("lessons_done", zero);
  ASSERT_EQ(recorded.funnel_steps.size(), 2u);
  EXPECT_EQ(recorded.funnel_steps[1].first, "lessons_done");
  EXPECT_THAT([&] { registry.add_funnel_step("check_ins", zero); },
              ThrowsMessage<RegistryError>(HasSubstr("added twice")));
  EXPECT_THAT([&] { registry.add_funnel_step("Check-ins", zero); },
              ThrowsMessage<RegistryError>(HasSubstr("is not a step name")));
  EXPECT_THAT([&] { registry.add_funnel_step("sign_ups", nullptr); },
              ThrowsMessage<RegistryError>(HasSubstr("is empty")));
  EXPECT_EQ(recorded.funnel_steps.size(), 2u);
}

}  // namespace
}  // namespace tribe::kernel::plugins
