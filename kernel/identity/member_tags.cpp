#include "kernel/identity/member_tags.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "kernel/identity/identity_error.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::identity {
namespace {

constexpr const char* kTags = "tribe_member_tags";

void check_tag(const std::string& tag) {
  if (auto problem = config::tag_problem(tag)) throw IdentityError(*problem);
}

bool account_exists(store::Sql& sql, const std::string& tenant, const std::string& account_id) {
  return sql
      .row("SELECT 1 FROM tribe_accounts WHERE tenant_id = :tenant AND account_id = :account", "i",
           {tenant, account_id})
      .has_value();
}

// Runs `change(sql)` in a write transaction on the account's tags, once the site is known to have
// the account.
template <class Change>
auto change_tags(store::Database& database, const std::string& tenant,
                 const std::string& account_id, Change&& change) {
  soci::session session(database.pool());
  try {
    store::WriteTransaction transaction(database, session);
    store::Sql sql(database, session);
    if (!account_exists(sql, tenant, account_id)) {
      throw IdentityError("no member '" + account_id + "' on site '" + tenant + "'");
    }
    auto result = change(sql);
    transaction.commit();
    return result;
  } catch (const IdentityError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kTags);
  }
}

}  // namespace

MemberTags::MemberTags(store::Database& database) : database_(database) {}

std::vector<std::string> MemberTags::of(const std::string& tenant,
                                        const std::string& account_id) const {
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  std::vector<std::string> tags;
  for (const auto& row : sql.rows("SELECT tag FROM tribe_member_tags"
                                  " WHERE tenant_id = :tenant AND account_id = :account",
                                  "t", {tenant, account_id})) {
    tags.push_back(row.text(0));
  }
  std::sort(tags.begin(), tags.end());  // byte order, the same on both databases
  return tags;
}

bool MemberTags::holds_all(const std::string& tenant, const std::string& account_id,
                           const std::vector<std::string>& tags) const {
  if (tags.empty()) return true;
  const auto held = of(tenant, account_id);
  return std::all_of(tags.begin(), tags.end(), [&](const std::string& tag) {
    return std::binary_search(held.begin(), held.end(), tag);
  });
}

bool MemberTags::set(const std::string& tenant, const std::string& account_id,
                     const std::string& tag, bool on, std::chrono::system_clock::time_point now) {
  check_tag(tag);
  return change_tags(database_, tenant, account_id, [&](store::Sql& sql) {
    const std::int64_t changed =
        on ? sql.change(
                 "INSERT INTO tribe_member_tags (tenant_id, account_id, tag, tagged_at)"
                 " VALUES (:tenant, :account, :tag, :at)"
                 " ON CONFLICT (tenant_id, account_id, tag) DO NOTHING",
                 {tenant, account_id, tag, store::unix_seconds(now)})
           : sql.change(
                 "DELETE FROM tribe_member_tags"
                 " WHERE tenant_id = :tenant AND account_id = :account AND tag = :tag",
                 {tenant, account_id, tag});
    return changed > 0;
  });
}

void MemberTags::choose(const std::string& tenant, const std::string& account_id,
                        const config::TagVocabulary& vocabulary,
                        const std::vector<std::string>& chosen,
                        std::chrono::system_clock::time_point now) {
  for (const auto& tag : chosen) {
    if (!vocabulary.offers(tag)) {
      throw IdentityError("'" + tag + "' is not one of the tags this site offers");
    }
  }
  change_tags(database_, tenant, account_id, [&](store::Sql& sql) {
    for (const auto& row : sql.rows("SELECT tag FROM tribe_member_tags"
                                    " WHERE tenant_id = :tenant AND account_id = :account",
                                    "t", {tenant, account_id})) {
      const std::string held = row.text(0);
      if (vocabulary.owns(held) && std::find(chosen.begin(), chosen.end(), held) == chosen.end()) {
        sql.change(
            "DELETE FROM tribe_member_tags"
            " WHERE tenant_id = :tenant AND account_id = :account AND tag = :tag",
            {tenant, account_id, held});
      }
    }
    for (const auto& tag : chosen) {
      sql.change(
          "INSERT INTO tribe_member_tags (tenant_id, account_id, tag, tagged_at)"
          " VALUES (:tenant, :account, :tag, :at)"
          " ON CONFLICT (tenant_id, account_id, tag) DO NOTHING",
          {tenant, account_id, tag, store::unix_seconds(now)});
    }
    return chosen.size();
  });
}

std::vector<std::string> MemberTags::members_tagged(const std::string& tenant,
                                                    const std::string& tag, int limit) const {
  // SQLite reads a negative LIMIT as none, PostgreSQL refuses it: neither is what was asked.
  if (limit < 1) return {};
  limit = std::min(limit, kMaxMembersTagged);
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  std::vector<std::string> members;
  for (const auto& row : sql.rows("SELECT account_id FROM tribe_member_tags"
                                  " WHERE tenant_id = :tenant AND tag = :tag"
                                  " ORDER BY tagged_at, account_id LIMIT :limit",
                                  "t", {tenant, tag, limit})) {
    members.push_back(row.text(0));
  }
  return members;
}

}  // namespace tribe::kernel::identity
