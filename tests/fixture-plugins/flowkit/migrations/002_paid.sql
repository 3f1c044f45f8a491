-- The order.paid events this plugin handled, one row per event id.
CREATE TABLE fixture_flowkit_paid (
  tenant_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  offer_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);
