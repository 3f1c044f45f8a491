// The storage suite, run against SQLite files (store_tests_sqlite) and a real PostgreSQL server
// (store_tests_postgres).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>

#include "kernel/store/database.hpp"
#include "kernel/store/schema_catalog.hpp"
#include "kernel/store/session_pool.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/tests/test_database.hpp"

namespace tribe::kernel::store {
namespace {

using sdk::Json;
using sdk::Migration;
using sdk::StoreError;
using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<Migration> kBlogSchema = {
    {1, "items",
     "CREATE TABLE blog_items (tenant_id TEXT NOT NULL, id BIGINT NOT NULL, title TEXT, "
     "score DOUBLE PRECISION, flag INTEGER, note TEXT, meta TEXT, big BIGINT, "
     "PRIMARY KEY (tenant_id, id))"},
    {2, "tags",
     "CREATE TABLE blog_tags (tenant_id TEXT NOT NULL, name TEXT NOT NULL, "
     "PRIMARY KEY (tenant_id, name))"},
};

// Named per executable (SqliteStore, PostgresqlStore) so the ctest names of the two runs differ.
class TRIBE_STORE_SUITE : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url();
    db_ = Database::open(url_);
  }
  void TearDown() override {
    db_.reset();
    testing::discard_database(url_);
  }

  std::set<std::string> tables() {
    soci::session session(db_->pool());
    return SchemaCatalog(session, db_->backend()).tables();
  }

  // The versions tribe_migrations records for `component`, in order.
  std::vector<int> recorded_versions(const std::string& component) {
    soci::session session(db_->pool());
    soci::rowset<int> versions =
        (session.prepare << "SELECT version FROM tribe_migrations WHERE component = :c "
                            "ORDER BY version",
         soci::use(component, "c"));
    return {versions.begin(), versions.end()};
  }

  std::unique_ptr<sdk::TenantStore> blog(const std::string& tenant = "acme") {
    if (!migrated_) {
      db_->migrate("plugin.blog", kBlogSchema, "blog_");
      migrated_ = true;
    }
    return db_->tenant_store(tenant, "blog_");
  }

  std::string url_;
  std::unique_ptr<Database> db_;
  bool migrated_ = false;
};

sdk::Query query(std::string table, Json where = Json::object(), std::string order_by = "",
                 bool descending = false, int limit = 0) {
  sdk::Query query;
  query.table = std::move(table);
  query.where = std::move(where);
  query.order_by = std::move(order_by);
  query.descending = descending;
  query.limit = limit;
  return query;
}

std::vector<std::int64_t> ids_of(const std::vector<Json>& rows) {
  std::vector<std::int64_t> ids;
  for (const Json& row : rows) ids.push_back(row.at("id").get<std::int64_t>());
  return ids;
}

// --- opening -------------------------------------------------------------------------------

TEST_F(TRIBE_STORE_SUITE, OpensTheBackendTheUrlNames) {
  EXPECT_EQ(db_->backend(), testing::backend_under_test());
  soci::session session(db_->pool());
  int one = 0;
  session << "SELECT 1", soci::into(one);
  EXPECT_EQ(one, 1);
}

TEST_F(TRIBE_STORE_SUITE, UnopenableDatabaseIsAStoreErrorNamingTheMaskedUrl) {
  const auto unopenable = testing::unopenable_database();
  try {
    Database::open(unopenable.url);
    FAIL() << "opened " << unopenable.url;
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr(unopenable.named_in_error));
    EXPECT_THAT(e.what(), Not(HasSubstr("hunter2")));
  }
}

// --- migrations ----------------------------------------------------------------------------

TEST_F(TRIBE_STORE_SUITE, MigrationsAreAppliedOnceAndRecorded) {
  EXPECT_EQ(db_->migrate("plugin.blog", kBlogSchema, "blog_"), 2);
  EXPECT_EQ(db_->migrate("plugin.blog", kBlogSchema, "blog_"), 0);
  EXPECT_EQ(recorded_versions("plugin.blog"), (std::vector<int>{1, 2}));
  EXPECT_TRUE(tables().contains("blog_items"));
  EXPECT_TRUE(tables().contains("blog_tags"));

  auto grown = kBlogSchema;
  grown.push_back({3, "index", "CREATE INDEX blog_items_title ON blog_items (tenant_id, title)"});
  EXPECT_EQ(db_->migrate("plugin.blog", grown, "blog_"), 1);
  EXPECT_EQ(recorded_versions("plugin.blog"), (std::vector<int>{1, 2, 3}));
}

TEST_F(TRIBE_STORE_SUITE, MigrationsRunInVersionOrderWhateverTheListOrder) {
  const std::vector<Migration> reversed = {
      {2, "index", "CREATE INDEX blog_a_name ON blog_a (tenant_id, name)"},
      {1, "a", "CREATE TABLE blog_a (tenant_id TEXT, name TEXT, PRIMARY KEY (tenant_id, name))"}};
  EXPECT_EQ(db_->migrate("plugin.blog", reversed, "blog_"), 2);
  EXPECT_EQ(recorded_versions("plugin.blog"), (std::vector<int>{1, 2}));
}

TEST_F(TRIBE_STORE_SUITE, RecordsNameOfEachMigration) {
  db_->migrate("plugin.blog", kBlogSchema, "blog_");
  soci::session session(db_->pool());
  std::string name, applied_at;
  session << "SELECT name, applied_at FROM tribe_migrations WHERE component = 'plugin.blog' "
             "AND version = 2",
      soci::into(name), soci::into(applied_at);
  EXPECT_EQ(name, "tags");
  EXPECT_FALSE(applied_at.empty());
}

TEST_F(TRIBE_STORE_SUITE, MigrationMayHoldSeveralStatements) {
  const std::vector<Migration> migrations = {
      {1, "several",
       "-- two tables; and a row\n"
       "CREATE TABLE blog_a (tenant_id TEXT, name TEXT, PRIMARY KEY (tenant_id, name));\n"
       "/* a comment; with a semicolon */\n"
       "CREATE TABLE blog_b (tenant_id TEXT, id BIGINT, PRIMARY KEY (tenant_id, id));\n"
       "INSERT INTO blog_a (tenant_id, name) VALUES ('acme', 'semi;colon ''quoted''');\n"}};
  EXPECT_EQ(db_->migrate("plugin.blog", migrations, "blog_"), 1);
  EXPECT_TRUE(tables().contains("blog_a"));
  EXPECT_TRUE(tables().contains("blog_b"));
  auto store = db_->tenant_store("acme", "blog_");
  EXPECT_EQ(store->count("blog_a", {{"name", "semi;colon 'quoted'"}}), 1);
}

TEST_F(TRIBE_STORE_SUITE, FailingMigrationLeavesNothingBehind) {
  const std::vector<Migration> migrations = {
      {1, "broken",
       "CREATE TABLE blog_a (tenant_id TEXT, name TEXT, PRIMARY KEY (tenant_id, name));"
       "CREATE TABLE blog_b (tenant_id TEXT, id BIGINT, PRIMARY KEY (tenant_id, id));"
       "INSERT INTO blog_missing (tenant_id) VALUES ('acme')"}};
  try {
    db_->migrate("plugin.blog", migrations, "blog_");
    FAIL() << "a failing migration was applied";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("migration 1 'broken' of plugin.blog failed"));
  }
  EXPECT_FALSE(tables().contains("blog_a"));
  EXPECT_FALSE(tables().contains("blog_b"));
  EXPECT_TRUE(recorded_versions("plugin.blog").empty());
}

TEST_F(TRIBE_STORE_SUITE, PluginTableOutsideThePrefixIsRefusedAndRolledBack) {
  auto migrations = kBlogSchema;
  migrations.push_back(
      {3, "posts", "CREATE TABLE posts (tenant_id TEXT, id BIGINT, PRIMARY KEY (tenant_id, id))"});
  try {
    db_->migrate("plugin.blog", migrations, "blog_");
    FAIL() << "table outside the prefix accepted";
  } catch (const StoreError& e) {
    EXPECT_STREQ(e.what(),
                 "migration 3 'posts' of plugin.blog creates table 'posts' whose name does not "
                 "start with 'blog_'");
  }
  EXPECT_FALSE(tables().contains("posts"));
  // The earlier migrations ran in their own transactions and stay.
  EXPECT_EQ(recorded_versions("plugin.blog"), (std::vector<int>{1, 2}));
}

TEST_F(TRIBE_STORE_SUITE, PluginTableWhoseKeyDoesNotLeadWithTenantIdIsRefused) {
  const std::vector<std::string> bad_tables = {
      "CREATE TABLE blog_a (id BIGINT, tenant_id TEXT, PRIMARY KEY (id, tenant_id))",
      "CREATE TABLE blog_a (tenant_id TEXT, id BIGINT)",
      "CREATE TABLE blog_a (id BIGINT PRIMARY KEY, tenant_id TEXT)"};
  for (const std::string& sql : bad_tables) {
    try {
      db_->migrate("plugin.blog", {{1, "a", sql}}, "blog_");
      FAIL() << "accepted: " << sql;
    } catch (const StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr("migration 1 'a' of plugin.blog creates table 'blog_a' "
                                      "whose primary key does not start with tenant_id"));
    }
    EXPECT_FALSE(tables().contains("blog_a")) << sql;
    EXPECT_TRUE(recorded_versions("plugin.blog").empty()) << sql;
  }
}

TEST_F(TRIBE_STORE_SUITE, PluginMigrationMayNotDropOtherTables) {
  db_->migrate("kernel.tenancy", {{1, "tenants", "CREATE TABLE tenants (id TEXT PRIMARY KEY)"}});
  EXPECT_THROW(db_->migrate("plugin.blog", {{1, "drop", "DROP TABLE tenants"}}, "blog_"),
               StoreError);
  EXPECT_TRUE(tables().contains("tenants"));
}

TEST_F(TRIBE_STORE_SUITE, KernelComponentsAreTrustedWithAnyTable) {
  EXPECT_EQ(db_->migrate("kernel.tenancy", {{1, "tenants", "CREATE TABLE tenants (id TEXT)"}}), 1);
  EXPECT_TRUE(tables().contains("tenants"));
  EXPECT_EQ(recorded_versions("kernel.tenancy"), (std::vector<int>{1}));
}

TEST_F(TRIBE_STORE_SUITE, DuplicateVersionsAreRefusedBeforeAnythingRuns) {
  const std::vector<Migration> migrations = {
      {1, "a", "CREATE TABLE blog_a (tenant_id TEXT, PRIMARY KEY (tenant_id))"},
      {1, "b", "CREATE TABLE blog_b (tenant_id TEXT, PRIMARY KEY (tenant_id))"}};
  try {
    db_->migrate("plugin.blog", migrations, "blog_");
    FAIL() << "duplicate versions accepted";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("two migrations with version 1"));
  }
  EXPECT_FALSE(tables().contains("blog_a"));
}

TEST_F(TRIBE_STORE_SUITE, ComponentsKeepSeparateVersionHistories) {
  db_->migrate("plugin.blog", kBlogSchema, "blog_");
  EXPECT_EQ(
      db_->migrate("plugin.news",
                   {{1, "a", "CREATE TABLE news_a (tenant_id TEXT, PRIMARY KEY (tenant_id))"}},
                   "news_"),
      1);
  EXPECT_EQ(recorded_versions("plugin.news"), (std::vector<int>{1}));
}

// --- rows ----------------------------------------------------------------------------------

TEST_F(TRIBE_STORE_SUITE, RowsRoundTripEveryValueType) {
  auto store = blog();
  const std::int64_t beyond_double = 9007199254740993;  // 2^53 + 1: must not pass through double
  store->insert("blog_items", {{"id", 1},
                               {"title", "héllo \"world\"; 'x'"},
                               {"score", 2.5},
                               {"flag", true},
                               {"note", nullptr},
                               {"meta", {{"tags", {"a", "b"}}, {"n", 1}}},
                               {"big", beyond_double}});
  const auto row = store->find_one("blog_items", {{"id", 1}});
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(row->contains("tenant_id"));
  EXPECT_EQ(row->at("id"), 1);
  EXPECT_EQ(row->at("title"), "héllo \"world\"; 'x'");
  EXPECT_DOUBLE_EQ(row->at("score").get<double>(), 2.5);
  EXPECT_EQ(row->at("flag"), 1);  // booleans come back as integers
  EXPECT_TRUE(row->at("note").is_null());
  EXPECT_EQ(Json::parse(row->at("meta").get<std::string>()),
            Json({{"tags", {"a", "b"}}, {"n", 1}}));
  EXPECT_EQ(row->at("big").get<std::int64_t>(), beyond_double);
  EXPECT_TRUE(row->at("id").is_number_integer());
}

TEST_F(TRIBE_STORE_SUITE, SelectFiltersOrdersAndLimits) {
  auto store = blog();
  for (int id = 1; id <= 5; ++id) {
    store->insert("blog_items",
                  {{"id", id}, {"title", id % 2 ? "odd" : "even"}, {"note", nullptr}});
  }
  EXPECT_EQ(ids_of(store->select(query("blog_items", Json::object(), "id"))),
            (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(ids_of(store->select(query("blog_items", Json::object(), "id", true, 2))),
            (std::vector<std::int64_t>{5, 4}));
  EXPECT_EQ(ids_of(store->select(query("blog_items", {{"title", "odd"}}, "id"))),
            (std::vector<std::int64_t>{1, 3, 5}));
  EXPECT_EQ(store->select(query("blog_items", {{"title", "none"}})).size(), 0u);
  EXPECT_EQ(store->count("blog_items", {{"note", nullptr}}), 5);  // null matches IS NULL
  EXPECT_EQ(store->count("blog_items", Json::object()), 5);
  EXPECT_EQ(store->count("blog_items", {{"title", "even"}}), 2);
  EXPECT_FALSE(store->find_one("blog_items", {{"id", 99}}).has_value());
}

TEST_F(TRIBE_STORE_SUITE, UpdateAndRemoveReportRowsChanged) {
  auto store = blog();
  for (int id = 1; id <= 4; ++id) store->insert("blog_items", {{"id", id}, {"title", "draft"}});
  EXPECT_EQ(store->update("blog_items", {{"title", "draft"}}, {{"title", "live"}, {"score", 1.5}}),
            4);
  EXPECT_EQ(store->update("blog_items", {{"id", 99}}, {{"title", "x"}}), 0);
  EXPECT_EQ(store->find_one("blog_items", {{"id", 3}})->at("title"), "live");
  EXPECT_EQ(store->remove("blog_items", {{"id", 3}}), 1);
  EXPECT_EQ(store->remove("blog_items", {{"id", 3}}), 0);
  EXPECT_EQ(store->count("blog_items", {{"title", "live"}}), 3);
}

TEST_F(TRIBE_STORE_SUITE, DuplicateKeyIsAStoreError) {
  auto store = blog();
  store->insert("blog_tags", {{"name", "news"}});
  try {
    store->insert("blog_tags", {{"name", "news"}});
    FAIL() << "duplicate accepted";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), ::testing::StartsWith("duplicate row in blog_tags: "));
  }
  EXPECT_EQ(store->count("blog_tags", Json::object()), 1);
}

// --- transactions --------------------------------------------------------------------------

TEST_F(TRIBE_STORE_SUITE, TransactionCommitsAllItsWrites) {
  auto store = blog();
  store->transaction([](sdk::TenantStore& tx) {
    tx.insert("blog_tags", {{"name", "a"}});
    tx.insert("blog_tags", {{"name", "b"}});
    EXPECT_EQ(tx.count("blog_tags", Json::object()), 2);
  });
  EXPECT_EQ(store->count("blog_tags", Json::object()), 2);
}

TEST_F(TRIBE_STORE_SUITE, TransactionRollsBackOnExceptionAndRethrowsIt) {
  auto store = blog();
  store->insert("blog_tags", {{"name", "kept"}});
  EXPECT_THROW(store->transaction([](sdk::TenantStore& tx) {
    tx.insert("blog_tags", {{"name", "a"}});
    tx.remove("blog_tags", {{"name", "kept"}});
    throw std::logic_error("changed my mind");
  }),
               std::logic_error);
  EXPECT_EQ(store->count("blog_tags", Json::object()), 1);
  EXPECT_TRUE(store->find_one("blog_tags", {{"name", "kept"}}).has_value());
}

TEST_F(TRIBE_STORE_SUITE, DuplicateInsideTransactionRollsBackTheWhole) {
  auto store = blog();
  EXPECT_THROW(store->transaction([](sdk::TenantStore& tx) {
    tx.insert("blog_tags", {{"name", "a"}});
    tx.insert("blog_tags", {{"name", "a"}});
  }),
               StoreError);
  EXPECT_EQ(store->count("blog_tags", Json::object()), 0);
}

TEST_F(TRIBE_STORE_SUITE, NestedTransactionJoinsTheOuterOne) {
  auto store = blog();
  EXPECT_THROW(store->transaction([](sdk::TenantStore& tx) {
    tx.transaction([](sdk::TenantStore& inner) { inner.insert("blog_tags", {{"name", "a"}}); });
    throw std::runtime_error("outer fails");
  }),
               std::runtime_error);
  EXPECT_EQ(store->count("blog_tags", Json::object()), 0);
}

// --- prepared statements and the read cache ------------------------------------------------
// Each statement is prepared once per pooled session and run again with new values; on SQLite
// reads are also answered from the read cache. Both must give what the database holds.

TEST_F(TRIBE_STORE_SUITE, SameStatementRunManyTimesWithNewValuesReturnsTheRightRows) {
  auto store = blog();
  constexpr int kRows = 12;
  for (int id = 0; id < kRows; ++id) {
    // The same INSERT with a text and a null note, and with an integer and a real score.
    Json row = {{"id", id}, {"title", "t" + std::to_string(id)}};
    row["note"] = id % 2 ? Json("n" + std::to_string(id)) : Json(nullptr);
    row["score"] = id % 3 ? Json(id) : Json(id + 0.5);
    store->insert("blog_items", row);
  }
  for (int round = 0; round < 3 * kRows; ++round) {
    const int id = (round * 5) % kRows;
    const auto row = store->find_one("blog_items", {{"id", id}});
    ASSERT_TRUE(row.has_value()) << id;
    EXPECT_EQ(row->at("title"), "t" + std::to_string(id));
    EXPECT_EQ(row->at("note").is_null(), id % 2 == 0) << id;
    EXPECT_DOUBLE_EQ(row->at("score").get<double>(), id % 3 ? id : id + 0.5) << id;
    EXPECT_EQ(ids_of(store->select(query("blog_items", {{"title", "t" + std::to_string(id)}}))),
              (std::vector<std::int64_t>{id}));
    EXPECT_EQ(store->count("blog_items", {{"title", "t" + std::to_string(id)}}), 1);
    EXPECT_EQ(store->update("blog_items", {{"id", id}}, {{"big", round}}), 1);
    EXPECT_EQ(store->find_one("blog_items", {{"id", id}})->at("big"), round);
  }
  EXPECT_EQ(store->count("blog_items", {{"note", nullptr}}), kRows / 2);
  EXPECT_EQ(store->select(query("blog_items", Json::object(), "id", true, 3)).size(), 3u);
}

TEST_F(TRIBE_STORE_SUITE, StatementRunsAgainAfterItFailed) {
  auto store = blog();
  store->insert("blog_tags", {{"name", "a"}});
  for (int round = 0; round < 3; ++round) {
    EXPECT_THROW(store->insert("blog_tags", {{"name", "a"}}), StoreError);
    store->insert("blog_tags", {{"name", "b" + std::to_string(round)}});
    EXPECT_EQ(store->count("blog_tags", Json::object()), round + 2);
    EXPECT_EQ(store->find_one("blog_tags", {{"name", "b" + std::to_string(round)}})->at("name"),
              "b" + std::to_string(round));
  }
  // The same in a transaction: it fails and rolls back, the next one succeeds.
  EXPECT_THROW(store->transaction([](sdk::TenantStore& tx) {
    tx.insert("blog_tags", {{"name", "c"}});
    tx.insert("blog_tags", {{"name", "a"}});
  }),
               StoreError);
  store->transaction([](sdk::TenantStore& tx) { tx.insert("blog_tags", {{"name", "c"}}); });
  EXPECT_EQ(store->count("blog_tags", Json::object()), 5);
}

TEST_F(TRIBE_STORE_SUITE, ReadsSeeTheColumnsALaterMigrationAdds) {
  auto store = blog();
  store->insert("blog_tags", {{"name", "a"}});
  EXPECT_EQ(store->select(query("blog_tags")).at(0), Json({{"name", "a"}}));
  auto grown = kBlogSchema;
  grown.push_back({3, "colour", "ALTER TABLE blog_tags ADD COLUMN colour TEXT"});
  db_->migrate("plugin.blog", grown, "blog_");
  EXPECT_EQ(store->select(query("blog_tags")).at(0), Json({{"name", "a"}, {"colour", nullptr}}));
  store->update("blog_tags", {{"name", "a"}}, {{"colour", "red"}});
  EXPECT_EQ(store->find_one("blog_tags", {{"name", "a"}})->at("colour"), "red");
}

TEST_F(TRIBE_STORE_SUITE, EveryKindOfWriteIsSeenByTheNextRead) {
  auto store = blog();
  const auto titles = [&] {
    std::vector<std::string> titles;
    for (const Json& row : store->select(query("blog_items", Json::object(), "id"))) {
      titles.push_back(row.at("title"));
    }
    return titles;
  };
  EXPECT_TRUE(titles().empty());
  EXPECT_EQ(store->count("blog_items", Json::object()), 0);
  EXPECT_FALSE(store->find_one("blog_items", {{"id", 1}}).has_value());

  store->insert("blog_items", {{"id", 1}, {"title", "one"}});
  EXPECT_EQ(titles(), (std::vector<std::string>{"one"}));
  EXPECT_EQ(store->count("blog_items", Json::object()), 1);
  EXPECT_EQ(store->find_one("blog_items", {{"id", 1}})->at("title"), "one");

  store->update("blog_items", {{"id", 1}}, {{"title", "uno"}});
  EXPECT_EQ(titles(), (std::vector<std::string>{"uno"}));
  EXPECT_EQ(store->find_one("blog_items", {{"id", 1}})->at("title"), "uno");

  store->remove("blog_items", {{"id", 1}});
  EXPECT_TRUE(titles().empty());
  EXPECT_EQ(store->count("blog_items", Json::object()), 0);
  EXPECT_FALSE(store->find_one("blog_items", {{"id", 1}}).has_value());

  store->transaction([](sdk::TenantStore& tx) {
    tx.insert("blog_items", {{"id", 2}, {"title", "two"}});
  });
  EXPECT_EQ(titles(), (std::vector<std::string>{"two"}));
  EXPECT_EQ(store->count("blog_items", Json::object()), 1);
}

TEST_F(TRIBE_STORE_SUITE, TransactionWritesAreUnseenOutsideUntilCommitAndSeenRightAfter) {
  auto store = blog();
  auto outside = db_->tenant_store("acme", "blog_");
  store->insert("blog_items", {{"id", 1}, {"title", "before"}});
  EXPECT_EQ(outside->find_one("blog_items", {{"id", 1}})->at("title"), "before");
  store->transaction([&](sdk::TenantStore& tx) {
    tx.update("blog_items", {{"id", 1}}, {{"title", "after"}});
    tx.insert("blog_items", {{"id", 2}, {"title", "new"}});
    // The transaction reads its own writes...
    EXPECT_EQ(tx.find_one("blog_items", {{"id", 1}})->at("title"), "after");
    EXPECT_EQ(tx.count("blog_items", Json::object()), 2);
    // ...and a reader on another session the committed rows, twice (the second may be cached).
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(outside->find_one("blog_items", {{"id", 1}})->at("title"), "before");
      EXPECT_EQ(outside->count("blog_items", Json::object()), 1);
    }
  });
  EXPECT_EQ(outside->find_one("blog_items", {{"id", 1}})->at("title"), "after");
  EXPECT_EQ(outside->count("blog_items", Json::object()), 2);
}

TEST_F(TRIBE_STORE_SUITE, RolledBackTransactionLeavesTheCommittedRowsReadable) {
  auto store = blog();
  store->insert("blog_items", {{"id", 1}, {"title", "kept"}});
  EXPECT_THROW(store->transaction([&](sdk::TenantStore& tx) {
    tx.update("blog_items", {{"id", 1}}, {{"title", "changed"}});
    tx.insert("blog_items", {{"id", 2}, {"title", "new"}});
    EXPECT_EQ(tx.find_one("blog_items", {{"id", 1}})->at("title"), "changed");
    EXPECT_EQ(store->find_one("blog_items", {{"id", 1}})->at("title"), "kept");
    throw std::runtime_error("roll it back");
  }),
               std::runtime_error);
  EXPECT_EQ(store->find_one("blog_items", {{"id", 1}})->at("title"), "kept");
  EXPECT_EQ(ids_of(store->select(query("blog_items", Json::object(), "id"))),
            (std::vector<std::int64_t>{1}));
  EXPECT_EQ(store->count("blog_items", Json::object()), 1);
}

// Writers publish a value only after the write returned; a reader that starts later must read
// that value or a newer one, never an older one (a stale cached answer would be older).
TEST_F(TRIBE_STORE_SUITE, ReadsStartedAfterAWriteReturnedSeeIt) {
  auto store = blog();
  constexpr int kWrites = 150, kReaders = 3;
  store->insert("blog_items", {{"id", 1}, {"big", 0}});
  store->insert("blog_items", {{"id", 2}, {"big", 0}});
  std::atomic<int> published[2] = {0, 0};
  std::atomic<bool> done{false};
  std::atomic<int> stale{0}, failures{0};
  std::vector<std::thread> threads;
  for (int writer = 0; writer < 2; ++writer) {
    threads.emplace_back([&, writer] {
      const Json key = {{"id", writer + 1}};
      for (int value = 1; value <= kWrites; ++value) {
        try {
          if (writer == 0) {
            store->update("blog_items", key, {{"big", value}});
          } else {
            store->transaction([&](sdk::TenantStore& tx) {
              tx.update("blog_items", key, {{"big", value}});
            });
          }
          published[writer] = value;
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (int reader = 0; reader < kReaders; ++reader) {
    threads.emplace_back([&] {
      while (!done) {
        for (int id = 1; id <= 2; ++id) {
          const int floor = published[id - 1];
          try {
            const auto rows = store->select(query("blog_items", {{"id", id}}));
            if (rows.size() != 1 || rows[0].at("big").get<int>() < floor) ++stale;
          } catch (const std::exception&) {
            ++failures;
          }
        }
      }
    });
  }
  threads[0].join();
  threads[1].join();
  done = true;
  for (std::size_t i = 2; i < threads.size(); ++i) threads[i].join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(stale, 0);
  EXPECT_EQ(store->find_one("blog_items", {{"id", 1}})->at("big"), kWrites);
  EXPECT_EQ(store->find_one("blog_items", {{"id", 2}})->at("big"), kWrites);
}

// --- names a plugin may not use -----------------------------------------------------------

TEST_F(TRIBE_STORE_SUITE, TablesOutsideThePrefixAreRefused) {
  auto store = blog();
  db_->migrate("kernel.tenancy", {{1, "tenants", "CREATE TABLE tenants (id TEXT)"}});
  for (const std::string table : {"tribe_migrations", "tenants", "blog_", "BLOG_items",
                                  "blog_items; DROP TABLE tenants", "blog_items--", ""}) {
    EXPECT_THROW(store->insert(table, {{"id", 1}}), StoreError) << table;
    EXPECT_THROW(store->select(query(table)), StoreError) << table;
    EXPECT_THROW(store->count(table, Json::object()), StoreError) << table;
    EXPECT_THROW(store->update(table, Json::object(), {{"id", 2}}), StoreError) << table;
    EXPECT_THROW(store->remove(table, Json::object()), StoreError) << table;
  }
  EXPECT_TRUE(tables().contains("tenants"));
  EXPECT_TRUE(tables().contains("tribe_migrations"));
}

TEST_F(TRIBE_STORE_SUITE, BadColumnNamesAreRefused) {
  auto store = blog();
  store->insert("blog_items", {{"id", 1}});
  for (const std::string column :
       {"Title", "title; DROP TABLE blog_items", "title\"", "1st", "", "ti-tle", "tenant_id"}) {
    EXPECT_THROW(store->insert("blog_items", {{"id", 2}, {column, "x"}}), StoreError) << column;
    EXPECT_THROW(store->select(query("blog_items", {{column, "x"}})), StoreError) << column;
    if (!column.empty()) {  // an empty order_by means "unordered"
      EXPECT_THROW(store->select(query("blog_items", Json::object(), column)), StoreError)
          << column;
    }
    EXPECT_THROW(store->update("blog_items", {{"id", 1}}, {{column, "x"}}), StoreError) << column;
    EXPECT_THROW(store->remove("blog_items", {{column, "x"}}), StoreError) << column;
  }
  EXPECT_EQ(store->count("blog_items", Json::object()), 1);
  EXPECT_TRUE(tables().contains("blog_items"));
}

TEST_F(TRIBE_STORE_SUITE, ValuesAreBoundNotPastedIntoTheSql) {
  auto store = blog();
  const std::string hostile = "x'); DROP TABLE blog_tags; --";
  store->insert("blog_tags", {{"name", hostile}});
  EXPECT_TRUE(tables().contains("blog_tags"));
  EXPECT_EQ(store->find_one("blog_tags", {{"name", hostile}})->at("name"), hostile);
}

TEST_F(TRIBE_STORE_SUITE, TenantStoreNeedsATenantAndAPrefix) {
  EXPECT_THROW(db_->tenant_store("", "blog_"), StoreError);
  EXPECT_THROW(db_->tenant_store("acme", ""), StoreError);
  EXPECT_THROW(db_->tenant_store("acme", "Blog_"), StoreError);
}

// --- concurrency ---------------------------------------------------------------------------

TEST_F(TRIBE_STORE_SUITE, ConcurrentInsertsAllLand) {
  auto store = blog();
  constexpr int kThreads = 8, kRowsEach = 50;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kRowsEach; ++i) {
        try {
          store->insert("blog_items", {{"id", t * kRowsEach + i}, {"title", "t"}});
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(store->count("blog_items", Json::object()), kThreads * kRowsEach);
}

// --- tenant isolation ----------------------------------------------------------------------

TEST_F(TRIBE_STORE_SUITE, TenantsNeverSeeOrChangeEachOthersRows) {
  auto alpha = blog("alpha");
  auto beta = db_->tenant_store("beta", "blog_");
  alpha->insert("blog_items", {{"id", 1}, {"title", "alpha's"}});
  alpha->insert("blog_items", {{"id", 2}, {"title", "alpha's"}});

  EXPECT_TRUE(beta->select(query("blog_items")).empty());
  EXPECT_FALSE(beta->find_one("blog_items", {{"id", 1}}).has_value());
  EXPECT_EQ(beta->count("blog_items", Json::object()), 0);
  EXPECT_EQ(beta->count("blog_items", {{"title", "alpha's"}}), 0);
  EXPECT_EQ(beta->update("blog_items", {{"id", 1}}, {{"title", "beta was here"}}), 0);
  EXPECT_EQ(beta->update("blog_items", Json::object(), {{"title", "beta was here"}}), 0);
  EXPECT_EQ(beta->remove("blog_items", {{"id", 2}}), 0);
  EXPECT_EQ(beta->remove("blog_items", Json::object()), 0);

  // The same key is free for the other tenant.
  beta->insert("blog_items", {{"id", 1}, {"title", "beta's"}});
  EXPECT_EQ(ids_of(alpha->select(query("blog_items", Json::object(), "id"))),
            (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(alpha->count("blog_items", {{"title", "alpha's"}}), 2);
  EXPECT_EQ(beta->find_one("blog_items", {{"id", 1}})->at("title"), "beta's");

  // A row naming tenant_id is refused, whichever tenant it names.
  EXPECT_THROW(beta->insert("blog_items", {{"id", 3}, {"tenant_id", "alpha"}}), StoreError);
  EXPECT_THROW(beta->update("blog_items", {{"id", 1}}, {{"tenant_id", "alpha"}}), StoreError);
  EXPECT_THROW(beta->select(query("blog_items", {{"tenant_id", "alpha"}})), StoreError);
  EXPECT_EQ(alpha->count("blog_items", Json::object()), 2);
  EXPECT_EQ(beta->count("blog_items", Json::object()), 1);
}

TEST_F(TRIBE_STORE_SUITE, TransactionStoreStaysWithItsTenant) {
  auto alpha = blog("alpha");
  auto beta = db_->tenant_store("beta", "blog_");
  alpha->insert("blog_tags", {{"name", "a"}});
  beta->transaction([](sdk::TenantStore& tx) {
    EXPECT_EQ(tx.count("blog_tags", Json::object()), 0);
    EXPECT_EQ(tx.remove("blog_tags", {{"name", "a"}}), 0);
  });
  EXPECT_EQ(alpha->count("blog_tags", Json::object()), 1);
}

// Kernel SQL (store::Sql): the statements kernel/money and kernel/identity run, prepared once per
// pooled session.
const std::vector<Migration> kLedgerLikeSchema = {
    {1, "rows",
     "CREATE TABLE test_rows (tenant_id TEXT NOT NULL, id TEXT NOT NULL, amount BIGINT NOT NULL, "
     "ends_at BIGINT, note TEXT, PRIMARY KEY (tenant_id, id))"},
};

TEST_F(TRIBE_STORE_SUITE, KernelSqlBindsByPositionAndReadsTextIntegersAndNulls) {
  db_->migrate("kernel.test", kLedgerLikeSchema);
  soci::session session(db_->pool());
  Sql sql(*db_, session);
  const std::string insert =
      "INSERT INTO test_rows (tenant_id, id, amount, ends_at, note)"
      " VALUES (:tenant, :id, :amount, :ends_at, :note) ON CONFLICT DO NOTHING";
  // Beyond 32 bits: unix seconds after 2038 and large amounts must survive the round trip.
  EXPECT_EQ(
      sql.change(insert, {"acme", "a", 9'000'000'000LL, std::optional<std::int64_t>(), "first"}),
      1);
  EXPECT_EQ(sql.change(insert, {"acme", "b", -5, std::optional<std::int64_t>(42), nullptr}), 1);
  EXPECT_EQ(sql.change(insert, {"acme", "a", 1, 2, "again"}), 0) << "ON CONFLICT DO NOTHING";

  const auto rows = sql.rows(
      "SELECT id, amount, ends_at, note FROM test_rows WHERE tenant_id = :tenant ORDER BY id",
      "tiit", {"acme"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text(0), "a");
  EXPECT_EQ(rows[0].integer(1), 9'000'000'000LL);
  EXPECT_TRUE(rows[0].is_null(2));
  EXPECT_EQ(rows[0].optional_integer(2), std::nullopt);
  EXPECT_EQ(rows[0].text(3), "first");
  EXPECT_EQ(rows[1].integer(1), -5);
  EXPECT_EQ(rows[1].optional_integer(2), 42);
  EXPECT_TRUE(rows[1].is_null(3));
  EXPECT_EQ(rows[1].text(3), "") << "NULL text reads as empty, not as the previous row's value";

  EXPECT_EQ(
      sql.change("UPDATE test_rows SET note = :note WHERE tenant_id = :tenant", {"x", "acme"}), 2);
  EXPECT_FALSE(sql.row("SELECT id FROM test_rows WHERE tenant_id = :tenant", "t", {"other"}));
}

TEST_F(TRIBE_STORE_SUITE, KernelSqlFindsThePooledSessionBehindALeasedOne) {
  soci::session leased(db_->pool());
  auto slot = db_->session_pool().slot_of(leased);
  ASSERT_TRUE(slot.has_value());
  EXPECT_EQ(slot->session.get_backend(), leased.get_backend());
  soci::session own;  // not connected, not pooled
  EXPECT_FALSE(db_->session_pool().slot_of(own).has_value()) << "not from this pool";
}

TEST_F(TRIBE_STORE_SUITE, KernelSqlStatementRunsAgainAfterItFailed) {
  db_->migrate("kernel.test", kLedgerLikeSchema);
  soci::session session(db_->pool());
  Sql sql(*db_, session);
  const std::string insert =
      "INSERT INTO test_rows (tenant_id, id, amount) VALUES (:tenant, :id, :amount)";
  EXPECT_EQ(sql.change(insert, {"acme", "a", 1}), 1);
  EXPECT_THROW(sql.change(insert, {"acme", "a", 2}), std::exception) << "duplicate key";
  EXPECT_EQ(sql.change(insert, {"acme", "b", 3}), 1) << "the failed statement was prepared anew";
  EXPECT_EQ(sql.row("SELECT COUNT(*) FROM test_rows", "i", {})->integer(0), 2);
}

TEST_F(TRIBE_STORE_SUITE, KernelSqlKeptStatementsFollowAMigration) {
  db_->migrate("kernel.test", kLedgerLikeSchema);
  const std::string select = "SELECT * FROM test_rows WHERE tenant_id = :tenant";
  {
    soci::session session(db_->pool());
    Sql sql(*db_, session);
    sql.change("INSERT INTO test_rows (tenant_id, id, amount) VALUES (:t, :i, :a)",
               {"acme", "a", 7});
    EXPECT_EQ(sql.rows(select, "tti", {"acme"}).size(), 1u);
  }
  // The table gets a different shape; a kept `SELECT *` would still read the old columns.
  db_->migrate("kernel.test",
               {kLedgerLikeSchema[0],
                {2, "reshape",
                 "DROP TABLE test_rows;"
                 "CREATE TABLE test_rows (tenant_id TEXT NOT NULL, label TEXT NOT NULL, "
                 "PRIMARY KEY (tenant_id, label));"
                 "INSERT INTO test_rows (tenant_id, label) VALUES ('acme', 'x');"}});
  for (std::size_t lease = 0; lease < 8; ++lease) {  // whichever pooled session comes up
    soci::session session(db_->pool());
    Sql sql(*db_, session);
    const auto rows = sql.rows(select, "tt", {"acme"});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].text(1), "x");
  }
}

}  // namespace
}  // namespace tribe::kernel::store
