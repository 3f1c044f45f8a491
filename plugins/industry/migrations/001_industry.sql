-- Verification applications: one row per member (a rejected member may apply again, which makes
-- the row pending once more). Approval gives the member the tag `verified`, which the member
-- offers require (requires_tags); rejection keeps the reason, shown to the applicant.
CREATE TABLE industry_applications (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  email TEXT NOT NULL,
  company TEXT NOT NULL,
  title TEXT NOT NULL,
  years INTEGER NOT NULL,
  proof TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);
-- Job and resource posts by verified members, tagged by city and role for matching.
CREATE TABLE industry_posts (
  tenant_id TEXT NOT NULL,
  post_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  email TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  city TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, post_id)
);
-- Who asked about a post ("contact"): one row per post and member; the poster sees them.
CREATE TABLE industry_contacts (
  tenant_id TEXT NOT NULL,
  post_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  email TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, post_id, member_id)
);
