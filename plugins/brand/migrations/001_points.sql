-- Every points movement the plugin made, under the key it made it with in the ledger (so a
-- redelivered event or a resubmitted form records nothing twice): + earned, - spent.
CREATE TABLE brand_points_log (
  tenant_id TEXT NOT NULL,
  movement_key TEXT NOT NULL,
  member_id TEXT NOT NULL,
  points INTEGER NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, movement_key)
);
CREATE INDEX brand_points_log_member ON brand_points_log (tenant_id, member_id, recorded_at);
-- What is left of each reward of the YAML's catalogue: seeded once with its stock, taken one by
-- one with a conditional update (compare and set), so it never goes below zero.
CREATE TABLE brand_reward_stock (
  tenant_id TEXT NOT NULL,
  reward_id TEXT NOT NULL,
  stock_left INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, reward_id)
);
-- How many points a refunded order's refund takes back, fixed before the spend: a redelivered
-- event after a crash between the spend and its history row spends the same amount under the
-- same key, which the ledger then recognises as made (nothing moves twice).
CREATE TABLE brand_refunds (
  tenant_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  points INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, order_id)
);
