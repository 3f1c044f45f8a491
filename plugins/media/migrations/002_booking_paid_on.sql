-- The UTC day ("2026-11-24") each booking's order was paid, for the funnel's sponsorships step;
-- '' while unpaid (and for bookings paid before this column existed).
ALTER TABLE media_bookings ADD COLUMN paid_on TEXT NOT NULL DEFAULT '';
