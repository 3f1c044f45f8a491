#include "kernel/money/money_migrations.hpp"

namespace tribe::kernel::money {

const std::vector<sdk::Migration>& money_migrations() {
  static const std::vector<sdk::Migration> migrations = {
      {1, "ledger",
       "CREATE TABLE tribe_ledger_transfers ("
       " tenant_id TEXT NOT NULL,"
       " transfer_id TEXT NOT NULL,"
       " kind TEXT NOT NULL,"
       " memo TEXT NOT NULL,"
       " created_at TEXT NOT NULL,"
       " PRIMARY KEY (tenant_id, transfer_id));"
       "CREATE TABLE tribe_ledger_entries ("
       " tenant_id TEXT NOT NULL,"
       " transfer_id TEXT NOT NULL,"
       " line INTEGER NOT NULL,"
       " account TEXT NOT NULL,"
       " currency TEXT NOT NULL,"
       " amount BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, transfer_id, line));"
       "CREATE INDEX tribe_ledger_entries_by_account"
       " ON tribe_ledger_entries (tenant_id, account, currency)"},
      // Times are BIGINT Unix seconds, so SQL compares them as numbers on both backends.
      {2, "orders and payments",
       "CREATE TABLE tribe_offer_stock ("
       " tenant_id TEXT NOT NULL,"
       " offer_id TEXT NOT NULL,"
       " capacity BIGINT,"  // NULL: unlimited
       " taken BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, offer_id));"
       "CREATE TABLE tribe_orders ("
       " tenant_id TEXT NOT NULL,"
       " order_id TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " offer_id TEXT NOT NULL,"
       " quantity INTEGER NOT NULL,"
       " amount BIGINT NOT NULL,"
       " currency TEXT NOT NULL,"
       " state TEXT NOT NULL,"
       " provider TEXT NOT NULL,"
       " referrer TEXT NOT NULL,"
       " idempotency_key TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " reserved_until BIGINT NOT NULL,"
       " paid_at BIGINT,"
       " PRIMARY KEY (tenant_id, order_id),"
       " UNIQUE (tenant_id, account_id, idempotency_key));"
       "CREATE INDEX tribe_orders_by_account ON tribe_orders (tenant_id, account_id, created_at);"
       "CREATE INDEX tribe_orders_by_offer ON tribe_orders (tenant_id, offer_id, state);"
       "CREATE INDEX tribe_orders_by_reservation ON tribe_orders (state, reserved_until);"
       "CREATE TABLE tribe_payment_events ("
       " tenant_id TEXT NOT NULL,"
       " provider TEXT NOT NULL,"
       " event_id TEXT NOT NULL,"
       " type TEXT NOT NULL,"
       " order_id TEXT NOT NULL,"
       " amount BIGINT NOT NULL,"
       " currency TEXT NOT NULL,"
       " outcome TEXT NOT NULL,"
       " received_at BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, provider, event_id))"},
      // expired is 0 or 1 (INTEGER on both backends); ends_at NULL: for ever. A grant row per
      // (order, key) makes granting idempotent and tells a refund what to revoke.
      {3, "entitlements",
       "CREATE TABLE tribe_entitlements ("
       " tenant_id TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " entitlement_key TEXT NOT NULL,"
       " order_id TEXT NOT NULL,"
       " starts_at BIGINT NOT NULL,"
       " ends_at BIGINT,"
       " grace_days INTEGER NOT NULL,"
       " expired INTEGER NOT NULL,"
       " PRIMARY KEY (tenant_id, account_id, entitlement_key));"
       "CREATE INDEX tribe_entitlements_by_end ON tribe_entitlements (expired, ends_at);"
       "CREATE TABLE tribe_entitlement_grants ("
       " tenant_id TEXT NOT NULL,"
       " order_id TEXT NOT NULL,"
       " entitlement_key TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " granted_at BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, order_id, entitlement_key))"},
      // A visitor's last touch by a partner's link or code, the account it bound at sign-up
      // (once), and each order's commission per level: state 'held' | 'payable' | 'reversed',
      // settled_at when it left 'held'. The row per (order, level) makes holding idempotent.
      {4, "referrals and commissions",
       "CREATE TABLE tribe_referral_touches ("
       " tenant_id TEXT NOT NULL,"
       " visitor_id TEXT NOT NULL,"
       " partner_account_id TEXT NOT NULL,"
       " touched_at BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, visitor_id));"
       "CREATE TABLE tribe_referrals ("
       " tenant_id TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " partner_account_id TEXT NOT NULL,"
       " bound_at BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, account_id));"
       "CREATE INDEX tribe_referrals_by_partner"
       " ON tribe_referrals (tenant_id, partner_account_id, bound_at);"
       "CREATE TABLE tribe_commissions ("
       " tenant_id TEXT NOT NULL,"
       " order_id TEXT NOT NULL,"
       " level INTEGER NOT NULL,"
       " partner_account_id TEXT NOT NULL,"
       " amount BIGINT NOT NULL,"
       " currency TEXT NOT NULL,"
       " state TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " holds_until BIGINT NOT NULL,"
       " settled_at BIGINT,"
       " PRIMARY KEY (tenant_id, order_id, level));"
       "CREATE INDEX tribe_commissions_by_partner"
       " ON tribe_commissions (tenant_id, partner_account_id, created_at);"
       "CREATE INDEX tribe_commissions_by_release ON tribe_commissions (state, holds_until)"},
      {5, "deposits and escrow",
       "CREATE TABLE tribe_holdings ("
       " tenant_id TEXT NOT NULL,"
       " order_id TEXT NOT NULL,"
       " offer_id TEXT NOT NULL,"
       " account_id TEXT NOT NULL,"
       " kind TEXT NOT NULL,"
       " amount BIGINT NOT NULL,"
       " currency TEXT NOT NULL,"
       " state TEXT NOT NULL,"
       " reason TEXT NOT NULL,"
       " held_at BIGINT NOT NULL,"
       " settled_at BIGINT,"
       " PRIMARY KEY (tenant_id, order_id));"
       "CREATE INDEX tribe_holdings_by_offer ON tribe_holdings (tenant_id, offer_id, held_at)"},
      {6, "funnel visits",
       "CREATE TABLE tribe_funnel_visits ("
       " tenant_id TEXT NOT NULL,"
       " day TEXT NOT NULL,"
       " visits BIGINT NOT NULL,"
       " PRIMARY KEY (tenant_id, day))"},
      {7, "joint offers",
       "CREATE TABLE tribe_joint_claims ("
       " tenant_id TEXT NOT NULL,"
       " order_id TEXT NOT NULL,"
       " offer_id TEXT NOT NULL,"
       " buyer_id TEXT NOT NULL,"
       " partner_site TEXT NOT NULL,"
       " token TEXT NOT NULL,"
       " share BIGINT NOT NULL,"
       " currency TEXT NOT NULL,"
       " state TEXT NOT NULL,"
       " claimed_by TEXT,"
       " opened_at BIGINT NOT NULL,"
       " claimed_at BIGINT,"
       " PRIMARY KEY (tenant_id, order_id));"
       "CREATE UNIQUE INDEX tribe_joint_claims_by_token ON tribe_joint_claims (partner_site, "
       "token);"
       "CREATE INDEX tribe_joint_claims_by_buyer ON tribe_joint_claims (tenant_id, buyer_id)"},
      // Minor units a referral coupon took off the order (0: none; amount is what is paid).
      {8, "referral coupons",
       "ALTER TABLE tribe_orders ADD COLUMN coupon BIGINT NOT NULL DEFAULT 0"},
  };
  return migrations;
}

}  // namespace tribe::kernel::money
