#include "kernel/identity/ladder.hpp"

#include <soci/soci.h>

#include "kernel/identity/identity_error.hpp"
#include "kernel/store/sql.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::identity {
namespace {

constexpr const char* kLadder = "tribe_ladder";

int rank(Stage stage) {
  return static_cast<int>(stage);
}

}  // namespace

std::string to_string(Stage stage) {
  switch (stage) {
    case Stage::Visitor:
      return "visitor";
    case Stage::Fan:
      return "fan";
    case Stage::Member:
      return "member";
    case Stage::Partner:
      return "partner";
  }
  return "visitor";
}

std::optional<Stage> stage_from_string(const std::string& text) {
  for (Stage stage : {Stage::Visitor, Stage::Fan, Stage::Member, Stage::Partner}) {
    if (to_string(stage) == text) return stage;
  }
  return std::nullopt;
}

Ladder::Ladder(store::Database& database) : database_(database) {}

bool Ladder::climb_in(soci::session& session, const std::string& tenant,
                      const std::string& account_id, Stage stage, const std::string& reason,
                      std::chrono::system_clock::time_point now) {
  if (tenant.empty() || account_id.empty()) {
    throw IdentityError("a ladder step needs a site and an account");
  }
  if (stage == Stage::Visitor) return false;
  // One statement, so two payments climbing the same account at once cannot both insert: the
  // row is created or raised, never lowered.
  const std::string text = to_string(stage);
  const std::int64_t at = store::unix_seconds(now);
  store::Sql sql(database_, session);
  if (sql.change("INSERT INTO tribe_ladder (tenant_id, account_id, stage, since)"
                 " VALUES (:tenant, :account, :stage, :since)"
                 " ON CONFLICT (tenant_id, account_id) DO UPDATE"
                 " SET stage = excluded.stage, since = excluded.since"
                 " WHERE (CASE tribe_ladder.stage WHEN 'fan' THEN 1 WHEN 'member' THEN 2"
                 " WHEN 'partner' THEN 3 ELSE 0 END) < :rank",
                 {tenant, account_id, text, at, rank(stage)}) != 1) {
    return false;
  }
  // Skipped stages (a visitor who buys the membership at once) are not invented in the history.
  sql.change(
      "INSERT INTO tribe_ladder_history (tenant_id, account_id, stage, reached_at, reason)"
      " VALUES (:tenant, :account, :stage, :at, :reason)"
      " ON CONFLICT (tenant_id, account_id, stage) DO NOTHING",
      {tenant, account_id, text, at, reason});
  return true;
}

bool Ladder::climb(const std::string& tenant, const std::string& account_id, Stage stage,
                   const std::string& reason, std::chrono::system_clock::time_point now) {
  soci::session session(database_.pool());
  try {
    store::WriteTransaction transaction(database_, session);
    const bool climbed = climb_in(session, tenant, account_id, stage, reason, now);
    transaction.commit();
    return climbed;
  } catch (const IdentityError&) {
    throw;
  } catch (...) {
    store::rethrow_as_store_error(kLadder);
  }
}

Stage Ladder::stage_of(const std::string& tenant, const std::string& account_id) const {
  soci::session session(database_.pool());
  store::Sql sql(database_, session);
  auto row =
      sql.row("SELECT stage FROM tribe_ladder WHERE tenant_id = :tenant AND account_id = :account",
              "t", {tenant, account_id});
  return row ? stage_from_string(row->text(0)).value_or(Stage::Visitor) : Stage::Visitor;
}

std::vector<LadderStep> Ladder::history(const std::string& tenant,
                                        const std::string& account_id) const {
  std::vector<LadderStep> steps;
  std::string stage;
  long long reached_at = 0;
  std::string reason;
  soci::session session(database_.pool());
  soci::statement rows =
      (session.prepare << "SELECT stage, reached_at, reason FROM tribe_ladder_history"
                          " WHERE tenant_id = :tenant AND account_id = :account"
                          " ORDER BY reached_at, stage",
       soci::into(stage), soci::into(reached_at), soci::into(reason), soci::use(tenant),
       soci::use(account_id));
  rows.execute();
  while (rows.fetch()) {
    steps.push_back({stage_from_string(stage).value_or(Stage::Visitor),
                     store::from_unix_seconds(reached_at), reason});
  }
  return steps;
}

std::map<Stage, long long> Ladder::counts(const std::string& tenant) const {
  std::map<Stage, long long> counts = {{Stage::Fan, 0}, {Stage::Member, 0}, {Stage::Partner, 0}};
  std::string stage;
  long long count = 0;
  soci::session session(database_.pool());
  soci::statement rows = (session.prepare << "SELECT stage, COUNT(*) FROM tribe_ladder"
                                             " WHERE tenant_id = :tenant GROUP BY stage",
                          soci::into(stage), soci::into(count), soci::use(tenant));
  rows.execute();
  while (rows.fetch()) {
    if (auto known = stage_from_string(stage)) counts[*known] = count;
  }
  return counts;
}

}  // namespace tribe::kernel::identity
