CREATE TABLE fixture_hello_greetings (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  text TEXT,
  PRIMARY KEY (tenant_id, id)
);
