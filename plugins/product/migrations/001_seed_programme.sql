-- The seed-user programme (种子用户): who joined it (by redeeming one of the YAML's invitation
-- codes, each once, or by an admin's invitation to their e-mail address), the invitations admins
-- sent, and the feedback seed users leave on products.
CREATE TABLE product_seed_members (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  code TEXT NOT NULL,
  joined_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, member_id),
  UNIQUE (tenant_id, code)
);
CREATE TABLE product_seed_invites (
  tenant_id TEXT NOT NULL,
  email TEXT NOT NULL,
  invited_by TEXT NOT NULL,
  invited_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, email)
);
CREATE TABLE product_feedback (
  tenant_id TEXT NOT NULL,
  feedback_id TEXT NOT NULL,
  offer_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  author TEXT NOT NULL,
  rating INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, feedback_id)
);
