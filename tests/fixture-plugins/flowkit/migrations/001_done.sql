-- Members who completed the deposit challenge.
CREATE TABLE fixture_flowkit_done (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);
