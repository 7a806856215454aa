-- Where each Jetstream collector got to: the time_us of the last event it processed, so a restart resumes there.
CREATE TABLE jetstream_cursor (
    source     text PRIMARY KEY,
    time_us    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
