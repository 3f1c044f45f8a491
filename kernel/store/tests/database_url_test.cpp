#include "kernel/store/database_url.hpp"

#include <gtest/gtest.h>

#include "tribe/sdk/store.hpp"

namespace tribe::kernel::store {
namespace {

TEST(DatabaseUrl, SqliteUrlNamesTheFile) {
  const auto url = DatabaseUrl::parse("sqlite:/var/lib/tribe/tribe.db");
  EXPECT_EQ(url.backend, Backend::Sqlite);
  EXPECT_EQ(url.sqlite_file, "/var/lib/tribe/tribe.db");
  EXPECT_EQ(url.connection_string, "/var/lib/tribe/tribe.db");
}

TEST(DatabaseUrl, SqliteFileWithEqualsSignIsQuotedForSoci) {
  EXPECT_EQ(DatabaseUrl::parse("sqlite:/data/a=b/t.db").connection_string, "db=\"/data/a=b/t.db\"");
}

TEST(DatabaseUrl, PostgresqlUrlBecomesLibpqSettingsAndIsMaskedForDisplay) {
  const auto url =
      DatabaseUrl::parse("postgresql://tribe:s3cret@db.example:5432/tribe?sslmode=require");
  EXPECT_EQ(url.backend, Backend::Postgresql);
  EXPECT_EQ(url.connection_string,
            "user=\"'tribe'\" password=\"'s3cret'\" host=\"'db.example'\" port=\"'5432'\" "
            "dbname=\"'tribe'\" sslmode=\"'require'\"");
  EXPECT_EQ(url.display, "postgresql://tribe:***@db.example:5432/tribe?sslmode=require");
}

TEST(DatabaseUrl, PostgresqlUrlIsDecodedAndQuotedForLibpq) {
  EXPECT_EQ(DatabaseUrl::parse("postgres://me:a%20b'c@[::1]/my%2Fdb").connection_string,
            "user=\"'me'\" password=\"'a b\\'c'\" host=\"'::1'\" dbname=\"'my/db'\"");
  EXPECT_THROW(DatabaseUrl::parse("postgresql://me:a%22b@host/db"), sdk::StoreError);
}

TEST(DatabaseUrl, UrlWithoutPasswordIsShownAsItIs) {
  EXPECT_EQ(mask_password("postgresql://tribe@db:5432/tribe"), "postgresql://tribe@db:5432/tribe");
  EXPECT_EQ(mask_password("postgresql://db:5432/tribe"), "postgresql://db:5432/tribe");
}

TEST(DatabaseUrl, UnknownSchemeIsRefusedWithTheSupportedOnes) {
  try {
    DatabaseUrl::parse("mysql://root:pw@localhost/tribe");
    FAIL() << "mysql accepted";
  } catch (const sdk::StoreError& e) {
    EXPECT_STREQ(e.what(),
                 "unsupported database URL 'mysql://root:***@localhost/tribe'; use sqlite:PATH or "
                 "postgresql://user@host:port/dbname");
  }
}

TEST(DatabaseUrl, SqliteUrlWithoutFileIsRefused) {
  EXPECT_THROW(DatabaseUrl::parse("sqlite:"), sdk::StoreError);
}

}  // namespace
}  // namespace tribe::kernel::store
