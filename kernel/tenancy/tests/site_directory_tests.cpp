#include <gtest/gtest.h>

#include "kernel/tenancy/site_directory.hpp"

namespace tribe::kernel::tenancy {
namespace {

config::SiteConfig site(std::string id, std::vector<std::string> hosts) {
  config::SiteConfig config;
  config.id = std::move(id);
  config.hosts = std::move(hosts);
  return config;
}

class SiteDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory.add(site("reading-club", {"reading.localhost", "books.example"}));
    directory.add(site("night-runners", {"run.localhost"}));
  }
  SiteDirectory directory;
};

TEST_F(SiteDirectoryTest, ResolvesByHost) {
  auto address = directory.resolve("books.example", "/posts/a");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->site_id, "reading-club");
  EXPECT_EQ(address->path, "/posts/a");
  EXPECT_EQ(address->base, "");
}

TEST_F(SiteDirectoryTest, ResolvesByPrefixWhateverTheHost) {
  auto address = directory.resolve("127.0.0.1", "/s/night-runners/api/posts");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->site_id, "night-runners");
  EXPECT_EQ(address->path, "/api/posts");
  EXPECT_EQ(address->base, "/s/night-runners");

  auto root = directory.resolve("127.0.0.1", "/s/night-runners");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->path, "/");
}

TEST_F(SiteDirectoryTest, UnknownHostOrSiteResolvesToNothing) {
  EXPECT_FALSE(directory.resolve("evil.example", "/"));
  EXPECT_FALSE(directory.resolve("127.0.0.1", "/"));
  EXPECT_FALSE(directory.resolve("reading.localhost", "/s/nope/"));
}

TEST_F(SiteDirectoryTest, RefusesTakenIdOrHost) {
  EXPECT_THROW(directory.add(site("reading-club", {})), std::invalid_argument);
  EXPECT_THROW(directory.add(site("other", {"run.localhost"})), std::invalid_argument);
}

}  // namespace
}  // namespace tribe::kernel::tenancy
