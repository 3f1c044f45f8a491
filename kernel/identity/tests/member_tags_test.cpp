// Member tags on the backend this executable links (SQLite files or a real PostgreSQL).
#include "kernel/identity/member_tags.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kernel/identity/accounts.hpp"
#include "kernel/identity/identity_error.hpp"
#include "kernel/store/tests/test_database.hpp"
#include "kernel/store/timestamp.hpp"

namespace tribe::kernel::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
const auto t0 = store::from_unix_seconds(1'800'000'000);

class MemberTagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = store::testing::fresh_database_url();
    database_ = store::Database::open(url_, 4);
    AccountBook accounts(*database_);
    accounts.migrate();
    ann_ = accounts.sign_up("club", "ann@example.com", "Ann", "correct horse battery").id;
    bob_ = accounts.sign_up("club", "bob@example.com", "Bob", "correct horse battery").id;
    other_ann_ = accounts.sign_up("other", "ann@example.com", "Ann", "correct horse battery").id;
    tags_ = std::make_unique<MemberTags>(*database_);
    vocabulary_.groups = {{"city", {"上海", "北京"}}, {"role", {"founder", "investor"}}};
  }
  void TearDown() override {
    tags_.reset();
    database_.reset();
    store::testing::discard_database(url_);
  }

  std::string url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<MemberTags> tags_;
  config::TagVocabulary vocabulary_;
  std::string ann_, bob_, other_ann_;
};

TEST_F(MemberTagsTest, TagsAreGivenOnceAndTakenAway) {
  EXPECT_TRUE(tags_->set("club", ann_, "verified", true, t0));
  EXPECT_FALSE(tags_->set("club", ann_, "verified", true, t0));
  EXPECT_TRUE(tags_->set("club", ann_, "city:上海", true, t0));
  EXPECT_THAT(tags_->of("club", ann_), ElementsAre("city:上海", "verified"));
  EXPECT_TRUE(tags_->holds_all("club", ann_, {"verified", "city:上海"}));
  EXPECT_FALSE(tags_->holds_all("club", ann_, {"verified", "role:founder"}));
  EXPECT_TRUE(tags_->holds_all("club", bob_, {}));
  EXPECT_TRUE(tags_->set("club", ann_, "verified", false, t0));
  EXPECT_FALSE(tags_->set("club", ann_, "verified", false, t0));
  EXPECT_THAT(tags_->of("club", ann_), ElementsAre("city:上海"));
}

TEST_F(MemberTagsTest, MalformedTagsAndUnknownMembersAreRefused) {
  for (const char* bad : {"", "Verified", "city:", "city:上 海", "city:a,b", "9lives", "a:b:c"}) {
    EXPECT_THROW(tags_->set("club", ann_, bad, true, t0), IdentityError) << bad;
  }
  EXPECT_THROW(tags_->set("club", "nobody", "verified", true, t0), IdentityError);
  // Ann's account on another site is another person here.
  EXPECT_THROW(tags_->set("club", other_ann_, "verified", true, t0), IdentityError);
  EXPECT_THAT(tags_->of("club", ann_), IsEmpty());
}

TEST_F(MemberTagsTest, AMembersChoiceReplacesOnlyTheVocabularysTags) {
  tags_->set("club", ann_, "verified", true, t0);  // a plugin's
  tags_->choose("club", ann_, vocabulary_, {"city:上海", "role:founder"}, t0);
  EXPECT_THAT(tags_->of("club", ann_), ElementsAre("city:上海", "role:founder", "verified"));
  tags_->choose("club", ann_, vocabulary_, {"city:北京"}, t0);
  EXPECT_THAT(tags_->of("club", ann_), ElementsAre("city:北京", "verified"));
  // One tag outside the vocabulary and nothing changes.
  EXPECT_THROW(tags_->choose("club", ann_, vocabulary_, {"city:上海", "role:king"}, t0),
               IdentityError);
  EXPECT_THROW(tags_->choose("club", ann_, vocabulary_, {"verified"}, t0), IdentityError);
  EXPECT_THAT(tags_->of("club", ann_), ElementsAre("city:北京", "verified"));
}

TEST_F(MemberTagsTest, MembersTaggedStayOnTheirSiteInTheOrderTheyWereTagged) {
  tags_->set("club", bob_, "role:founder", true, t0);
  tags_->set("club", ann_, "role:founder", true, t0 + std::chrono::seconds(5));
  tags_->set("other", other_ann_, "role:founder", true, t0);
  EXPECT_THAT(tags_->members_tagged("club", "role:founder", 10), ElementsAre(bob_, ann_));
  EXPECT_THAT(tags_->members_tagged("club", "role:founder", 1), ElementsAre(bob_));
  EXPECT_THAT(tags_->members_tagged("club", "role:founder", 0), IsEmpty());
  EXPECT_THAT(tags_->members_tagged("club", "role:founder", -1), IsEmpty());
  EXPECT_THAT(tags_->members_tagged("other", "role:founder", 10), ElementsAre(other_ann_));
  EXPECT_THAT(tags_->of("other", ann_), IsEmpty());
}

}  // namespace
}  // namespace tribe::kernel::identity
