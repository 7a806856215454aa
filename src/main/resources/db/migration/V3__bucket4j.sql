-- Bucket4j's token buckets, shared by every node (select-for-update proxy manager, text keys)
CREATE TABLE bucket (
  id         TEXT PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT
);
