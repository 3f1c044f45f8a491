-- Daily check-ins: one row per member and UTC day (days since 1970-01-01), so a second check-in
-- of the same day is refused by the key itself.
CREATE TABLE interest_checkins (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, member_id, day)
);
-- Each member's running streak, updated in the check-in's transaction.
CREATE TABLE interest_streaks (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  streak INTEGER NOT NULL,
  longest INTEGER NOT NULL,
  total INTEGER NOT NULL,
  last_day INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);
-- The leaderboard reads the streaks alive today and yesterday, longest first.
CREATE INDEX interest_streaks_alive ON interest_streaks (tenant_id, last_day, streak);
