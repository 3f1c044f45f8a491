-- The listing reads one site's posts in position order: served from this index, without a sort.
CREATE INDEX interest_posts_position ON interest_posts (tenant_id, position);
