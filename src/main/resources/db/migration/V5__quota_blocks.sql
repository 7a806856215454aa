-- Live platform signals (remaining=0, 429 with reset) block a quota key until the platform's reset time.
CREATE TABLE quota_blocks (
  key   TEXT PRIMARY KEY,
  until TIMESTAMPTZ NOT NULL
);
