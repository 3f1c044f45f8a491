-- Applications to join the club: one row per member (a rejected member may apply again, which
-- makes the row pending once more). Only an approved member may pay the entry fee on /join.
CREATE TABLE startup_applications (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  email TEXT NOT NULL,
  company TEXT NOT NULL,
  stage TEXT NOT NULL,
  pitch TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);
-- How each crowdfunding project was settled at its deadline: written once, by the first run that
-- finds the deadline passed, so the outcome never changes however often settling runs.
CREATE TABLE startup_settlements (
  tenant_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  raised INTEGER NOT NULL,
  settled_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, project_id)
);
-- Matching profiles: one per member, on the investor side (focus) or the project side (pitch).
-- `contact` is shown to the other side of a match only once its intro fee is paid.
CREATE TABLE startup_profiles (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  side TEXT NOT NULL,
  name TEXT NOT NULL,
  about TEXT NOT NULL,
  contact TEXT NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);
-- Match requests: requested (the requester's side accepted) -> accepted (both sides) -> paid
-- (the requester paid the intro fee, order_id), or requested -> declined. No order exists before
-- both sides accepted.
CREATE TABLE startup_matches (
  tenant_id TEXT NOT NULL,
  match_id TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  responder_id TEXT NOT NULL,
  state TEXT NOT NULL,
  order_id TEXT NOT NULL DEFAULT '',
  requested_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, match_id)
);
