#include "kernel/store/sql_script.hpp"

#include <gtest/gtest.h>

namespace tribe::kernel::store {
namespace {

using Statements = std::vector<std::string>;

TEST(SqlScript, SplitsAtSemicolons) {
  EXPECT_EQ(split_sql_statements("CREATE TABLE a (x TEXT); CREATE TABLE b (y TEXT);"),
            (Statements{"CREATE TABLE a (x TEXT)", "CREATE TABLE b (y TEXT)"}));
}

TEST(SqlScript, LastStatementNeedsNoSemicolon) {
  EXPECT_EQ(split_sql_statements("SELECT 1;\nSELECT 2"), (Statements{"SELECT 1", "SELECT 2"}));
}

TEST(SqlScript, KeepsSemicolonsInsideQuotes) {
  EXPECT_EQ(split_sql_statements("INSERT INTO t VALUES ('a;b', 'it''s;'); SELECT \"we;ird\""),
            (Statements{"INSERT INTO t VALUES ('a;b', 'it''s;')", "SELECT \"we;ird\""}));
}

TEST(SqlScript, DropsCommentsAndTheirSemicolons) {
  EXPECT_EQ(split_sql_statements("-- first; not a statement\nSELECT 1; /* gone; */ SELECT 2"),
            (Statements{"SELECT 1", "SELECT 2"}));
}

TEST(SqlScript, DropsEmptyStatements) {
  EXPECT_EQ(split_sql_statements(" ;;\n -- only a comment\n ; "), Statements{});
}

TEST(SqlScript, DashesInsideStringAreNotAComment) {
  EXPECT_EQ(split_sql_statements("SELECT '--;'; SELECT 2"),
            (Statements{"SELECT '--;'", "SELECT 2"}));
}

}  // namespace
}  // namespace tribe::kernel::store
