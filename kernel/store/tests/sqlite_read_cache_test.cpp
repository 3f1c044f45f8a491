// SQLite-only: the read cache Database keeps for TenantStore reads, and the ReadCache itself.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "kernel/store/database.hpp"
#include "kernel/store/read_cache.hpp"
#include "kernel/store/tests/test_database.hpp"

namespace tribe::kernel::store {
namespace {

using sdk::Json;

class SqliteReadCache : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url();
    db_ = Database::open(url_);
    db_->migrate("plugin.blog",
                 {{1, "items",
                   "CREATE TABLE blog_items (tenant_id TEXT NOT NULL, id BIGINT NOT NULL, "
                   "title TEXT, PRIMARY KEY (tenant_id, id));"
                   "CREATE TABLE blog_tags (tenant_id TEXT NOT NULL, name TEXT NOT NULL, "
                   "PRIMARY KEY (tenant_id, name))"}},
                 "blog_");
    store_ = db_->tenant_store("acme", "blog_");
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    testing::discard_database(url_);
  }

  // Changes a row behind the store's back: the read cache cannot know, which shows whether a
  // read was answered from it.
  void change_title_bypassing_the_store(int id, const std::string& title) {
    soci::session session(db_->pool());
    session << "UPDATE blog_items SET title = :title WHERE tenant_id = 'acme' AND id = :id",
        soci::use(title, "title"), soci::use(id, "id");
  }

  std::string title_of(int id) {
    return store_->find_one("blog_items", {{"id", id}})->at("title").get<std::string>();
  }

  std::string url_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<sdk::TenantStore> store_;
};

TEST_F(SqliteReadCache, RepeatedReadIsAnsweredFromTheCacheWithEqualRows) {
  store_->insert("blog_items", {{"id", 1}, {"title", "first"}});
  sdk::Query all;
  all.table = "blog_items";
  const auto rows = store_->select(all);
  EXPECT_EQ(title_of(1), "first");
  change_title_bypassing_the_store(1, "changed behind its back");
  EXPECT_EQ(store_->select(all), rows);
  EXPECT_EQ(title_of(1), "first");
}

TEST_F(SqliteReadCache, EachKindOfStoreWriteToTheTableDropsItsCachedReads) {
  store_->insert("blog_items", {{"id", 1}, {"title", "v0"}});
  const std::vector<std::function<void(int)>> writes = {
      [&](int i) {
        store_->insert("blog_items", {{"id", 100 + i}, {"title", "x"}});
      },
      [&](int i) {
        store_->update("blog_items", {{"id", 100 + i - 1}}, {{"title", "y"}});
      },
      [&](int i) {
        store_->remove("blog_items", {{"id", 100 + i - 2}});
      },
      [&](int i) {
        store_->transaction([&](sdk::TenantStore& tx) {
          tx.insert("blog_items", {{"id", 100 + i}, {"title", "z"}});
        });
      },
  };
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const std::string title = "v" + std::to_string(i + 1);
    EXPECT_NE(title_of(1), title);  // cached now
    change_title_bypassing_the_store(1, title);
    writes[i](static_cast<int>(i));  // a write through the store, to another row of the table
    EXPECT_EQ(title_of(1), title) << "after write " << i;
  }
}

TEST_F(SqliteReadCache, WritesToOtherTablesOrTenantsKeepTheCachedReads) {
  store_->insert("blog_items", {{"id", 1}, {"title", "cached"}});
  EXPECT_EQ(title_of(1), "cached");
  change_title_bypassing_the_store(1, "behind its back");
  store_->insert("blog_tags", {{"name", "news"}});
  db_->tenant_store("other", "blog_")->insert("blog_items", {{"id", 1}, {"title", "theirs"}});
  EXPECT_EQ(title_of(1), "cached");
}

TEST_F(SqliteReadCache, MigrationEmptiesTheCache) {
  store_->insert("blog_items", {{"id", 1}, {"title", "cached"}});
  EXPECT_EQ(title_of(1), "cached");
  change_title_bypassing_the_store(1, "migrated");
  db_->migrate("plugin.blog",
               {{2, "index", "CREATE INDEX blog_items_title ON blog_items (tenant_id, title)"}},
               "blog_");
  EXPECT_EQ(title_of(1), "migrated");
}

TEST_F(SqliteReadCache, ReadThatFailedOnAKeptStatementWorksOnceTheBadRowIsGone) {
  db_->migrate("plugin.blog",
               {{2, "files",
                 "CREATE TABLE blog_files (tenant_id TEXT NOT NULL, id BIGINT NOT NULL, "
                 "data BLOB, PRIMARY KEY (tenant_id, id))"}},
               "blog_");
  store_->insert("blog_files", {{"id", 1}, {"data", nullptr}});
  sdk::Query files;
  files.table = "blog_files";
  files.order_by = "id";
  EXPECT_EQ(store_->select(files).size(), 1u);
  {
    soci::session session(db_->pool());
    session << "INSERT INTO blog_files (tenant_id, id, data) VALUES ('acme', 2, X'00FF')";
  }
  store_->insert("blog_files", {{"id", 3}, {"data", nullptr}});  // drops the cached answer
  for (int round = 0; round < 2; ++round) {
    EXPECT_THROW(store_->select(files), sdk::StoreError);  // binary data is refused mid-read
  }
  EXPECT_EQ(store_->remove("blog_files", {{"id", 2}}), 1);
  const auto rows = store_->select(files);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("id"), 1);
  EXPECT_EQ(rows[1].at("id"), 3);
}

// --- ReadCache on its own -----------------------------------------------------------------

TEST(ReadCacheRules, AnswerIsServedWhileNoWriteRaisedTheGeneration) {
  ReadCache cache;
  const auto read_at = cache.generation("acme", "blog_items");
  cache.store("acme", "blog_items", "q", read_at, Json::array({1}));
  EXPECT_EQ(cache.find("acme", "blog_items", "q"), Json::array({1}));
  EXPECT_FALSE(cache.find("acme", "blog_items", "other query").has_value());
  EXPECT_FALSE(cache.find("beta", "blog_items", "q").has_value());
  cache.invalidate("acme", "blog_items");
  EXPECT_FALSE(cache.find("acme", "blog_items", "q").has_value());
}

TEST(ReadCacheRules, AnswerReadBeforeAWriteIsNeverServed) {
  ReadCache cache;
  const auto read_at = cache.generation("acme", "blog_items");
  cache.invalidate("acme", "blog_items");  // a write landed while the reader queried
  cache.store("acme", "blog_items", "q", read_at, Json::array({"old"}));
  EXPECT_FALSE(cache.find("acme", "blog_items", "q").has_value());
}

TEST(ReadCacheRules, ClearNeverBringsBackAnOldGeneration) {
  ReadCache cache;
  const auto before_clear = cache.generation("acme", "blog_items");
  cache.clear();
  cache.store("acme", "blog_items", "q", before_clear, Json::array({"old"}));
  EXPECT_FALSE(cache.find("acme", "blog_items", "q").has_value());
  const auto after_clear = cache.generation("acme", "blog_items");
  EXPECT_NE(after_clear, before_clear);
  cache.store("acme", "blog_items", "q", after_clear, Json::array({"new"}));
  EXPECT_EQ(cache.find("acme", "blog_items", "q"), Json::array({"new"}));
}

TEST(ReadCacheRules, StaysWithinItsCapacity) {
  ReadCache cache(4);
  for (int i = 0; i < 5; ++i) {
    const std::string key = "q" + std::to_string(i);
    cache.store("acme", "blog_items", key, cache.generation("acme", "blog_items"), Json(i));
  }
  int kept = 0;
  for (int i = 0; i < 5; ++i)
    kept += cache.find("acme", "blog_items", "q" + std::to_string(i)) ? 1 : 0;
  EXPECT_LE(kept, 4);
  EXPECT_EQ(cache.find("acme", "blog_items", "q4"), Json(4));  // the newest is kept
}

}  // namespace
}  // namespace tribe::kernel::store
