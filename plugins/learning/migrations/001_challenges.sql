-- Daily check-ins: one row per member and UTC day (days since 1970-01-01), so a second check-in
-- of the same day is refused by the key itself.
CREATE TABLE learning_checkins (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, member_id, day)
);
-- When each deposit's window started: one row per deposit order, written on the first sight of
-- the paid deposit (its order.paid event or a page), so the window never moves.
CREATE TABLE learning_enrolments (
  tenant_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  challenge_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  start_day INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, order_id)
);
