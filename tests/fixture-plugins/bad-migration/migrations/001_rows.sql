CREATE TABLE fixture_bad_migration_rows (
  id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  PRIMARY KEY (id)
);
