-- Sponsorship bookings: one row per slot order, written when the sponsor orders the slot (with
-- the sponsor's name and message) and marked paid by the order's order.paid event. The slot's
-- offer has capacity 1, so at most one order per slot is ever paid.
CREATE TABLE media_bookings (
  tenant_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  slot_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  sponsor TEXT NOT NULL,
  message TEXT NOT NULL,
  paid INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, order_id)
);
