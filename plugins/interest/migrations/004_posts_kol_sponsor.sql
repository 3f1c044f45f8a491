-- A post may name the KOL who wrote it (an id of the section's kols, '' for none) and a sponsor
-- (its name, '' for none, and an optional link): a sponsored post is always labelled.
ALTER TABLE interest_posts ADD COLUMN kol TEXT NOT NULL DEFAULT '';
ALTER TABLE interest_posts ADD COLUMN sponsor TEXT NOT NULL DEFAULT '';
ALTER TABLE interest_posts ADD COLUMN sponsor_link TEXT NOT NULL DEFAULT '';
-- A KOL's page reads their posts in position order.
CREATE INDEX interest_posts_kol ON interest_posts (tenant_id, kol, position);
