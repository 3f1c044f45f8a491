#include "kernel/identity/identity_schema.hpp"

namespace tribe::kernel::identity {

const std::vector<sdk::Migration>& identity_migrations() {
  static const std::vector<sdk::Migration> migrations = {
      {1, "accounts, sessions, login failures",
       "CREATE TABLE tribe_accounts ("
       " tenant_id TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " email TEXT NOT NULL,"
       " display_name TEXT NOT NULL,"
       " password_hash TEXT NOT NULL,"
       " created_at TEXT NOT NULL,"
       " PRIMARY KEY (tenant_id, account_id));"
       "CREATE UNIQUE INDEX tribe_accounts_by_email ON tribe_accounts (tenant_id, email);"
       "CREATE TABLE tribe_sessions ("
       " tenant_id TEXT NOT NULL,"
       " token_digest TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " started_at BIGINT NOT NULL,"
       " expires_at BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, token_digest));"
       "CREATE INDEX tribe_sessions_by_account ON tribe_sessions (tenant_id, account_id);"
       "CREATE TABLE tribe_login_failures ("
       " tenant_id TEXT NOT NULL,"
       " subject TEXT NOT NULL,"
       " failure_id TEXT NOT NULL,"
       " failed_at BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, subject, failure_id))"},
      {2, "the customer ladder",
       "CREATE TABLE tribe_ladder ("
       " tenant_id TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " stage TEXT NOT NULL,"
       " since BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, account_id));"
       "CREATE TABLE tribe_ladder_history ("
       " tenant_id TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " stage TEXT NOT NULL,"
       " reached_at BIGINT NOT NULL,"
       " reason TEXT NOT NULL,"
       " PRIMARY KEY (tenant_id, account_id, stage))"},
      {3, "member tags",
       "CREATE TABLE tribe_member_tags ("
       " tenant_id TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " tag TEXT NOT NULL,"
       " tagged_at BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, account_id, tag));"
       "CREATE INDEX tribe_member_tags_by_tag ON tribe_member_tags (tenant_id, tag)"},
  };
  return migrations;
}

}  // namespace tribe::kernel::identity
