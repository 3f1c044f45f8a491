#include <gtest/gtest.h>

#include "kernel/http/route_table.hpp"

namespace tribe::kernel::http {
namespace {

using sdk::Method;

TEST(RouteTable, MatchesLiteralAndParameterSegments) {
  RouteTable<std::string> table;
  ASSERT_TRUE(table.add(Method::Get, "/", "home"));
  ASSERT_TRUE(table.add(Method::Get, "/posts/{slug}", "post"));
  ASSERT_TRUE(table.add(Method::Get, "/api/posts", "api"));

  auto home = table.match(Method::Get, "/");
  ASSERT_TRUE(home);
  EXPECT_EQ(*home->target, "home");

  auto post = table.match(Method::Get, "/posts/reading-week");
  ASSERT_TRUE(post);
  EXPECT_EQ(*post->target, "post");
  EXPECT_EQ(post->params.at("slug"), "reading-week");

  EXPECT_FALSE(table.match(Method::Get, "/posts"));
  EXPECT_FALSE(table.match(Method::Get, "/posts/a/b"));
  EXPECT_FALSE(table.match(Method::Post, "/api/posts"));
  EXPECT_TRUE(table.has_path("/api/posts"));
  EXPECT_FALSE(table.has_path("/nowhere"));
}

TEST(RouteTable, LiteralBeatsParameter) {
  RouteTable<std::string> table;
  table.add(Method::Get, "/posts/{slug}", "post");
  table.add(Method::Get, "/posts/new", "new");
  EXPECT_EQ(*table.match(Method::Get, "/posts/new")->target, "new");
  EXPECT_EQ(*table.match(Method::Get, "/posts/old")->target, "post");
}

TEST(RouteTable, RefusesSecondRouteOfSameShape) {
  RouteTable<std::string> table;
  EXPECT_TRUE(table.add(Method::Get, "/posts/{slug}", "first"));
  EXPECT_FALSE(table.add(Method::Get, "/posts/{id}", "second"));
  EXPECT_TRUE(table.add(Method::Post, "/posts/{id}", "post"));
  EXPECT_EQ(*table.match(Method::Get, "/posts/x")->target, "first");
}

TEST(RouteTable, IgnoresTrailingAndDoubleSlashes) {
  RouteTable<std::string> table;
  table.add(Method::Get, "/api/posts", "api");
  EXPECT_TRUE(table.match(Method::Get, "/api/posts/"));
  EXPECT_TRUE(table.match(Method::Get, "//api//posts"));
}

}  // namespace
}  // namespace tribe::kernel::http
