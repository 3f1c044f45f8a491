// PostgreSQL-only: several nodes may share the database, so nothing read is kept in memory.
#include <gtest/gtest.h>

#include "kernel/store/database.hpp"
#include "kernel/store/tests/test_database.hpp"

namespace tribe::kernel::store {
namespace {

using sdk::Json;

const std::vector<sdk::Migration> kSchema = {
    {1, "items",
     "CREATE TABLE blog_items (tenant_id TEXT NOT NULL, id BIGINT NOT NULL, title TEXT, "
     "PRIMARY KEY (tenant_id, id))"}};

class PostgresqlSharedDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url();
    first_ = Database::open(url_, 2);
    second_ = Database::open(url_, 2);  // another node on the same database
    first_->migrate("plugin.blog", kSchema, "blog_");
  }
  void TearDown() override {
    first_.reset();
    second_.reset();
    testing::discard_database(url_);
  }

  std::string url_;
  std::unique_ptr<Database> first_, second_;
};

TEST_F(PostgresqlSharedDatabase, WritesOfAnotherNodeAreSeenAtOnce) {
  auto mine = first_->tenant_store("acme", "blog_");
  auto theirs = second_->tenant_store("acme", "blog_");
  sdk::Query all;
  all.table = "blog_items";
  for (int id = 1; id <= 3; ++id) {
    EXPECT_EQ(mine->select(all).size(), static_cast<std::size_t>(id - 1));
    EXPECT_EQ(mine->count("blog_items", Json::object()), id - 1);
    theirs->insert("blog_items", {{"id", id}, {"title", "v1"}});
    EXPECT_EQ(mine->select(all).size(), static_cast<std::size_t>(id));
    theirs->update("blog_items", {{"id", id}}, {{"title", "v2"}});
    EXPECT_EQ(mine->find_one("blog_items", {{"id", id}})->at("title"), "v2");
  }
  theirs->remove("blog_items", {{"id", 2}});
  EXPECT_EQ(mine->count("blog_items", Json::object()), 2);
}

TEST_F(PostgresqlSharedDatabase, KeptStatementsFollowAMigrationOfAnotherNode) {
  auto mine = first_->tenant_store("acme", "blog_");
  mine->insert("blog_items", {{"id", 1}, {"title", "a"}});
  // Read a few times: the pooled session keeps the prepared SELECT.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(mine->find_one("blog_items", {{"id", 1}})->size(), 2u);
  auto grown = kSchema;
  grown.push_back({2, "colour", "ALTER TABLE blog_items ADD COLUMN colour TEXT"});
  second_->migrate("plugin.blog", grown, "blog_");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(mine->find_one("blog_items", {{"id", 1}}),
              Json({{"id", 1}, {"title", "a"}, {"colour", nullptr}}));
  }
}

}  // namespace
}  // namespace tribe::kernel::store
