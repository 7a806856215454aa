-- Each closed minute's top-K tags and terms per Jetstream source, so a restart keeps the trend windows; kept 24 h.
CREATE TABLE trend_minutes (
    source text   NOT NULL,
    minute bigint NOT NULL, -- minutes since the epoch
    kind   text   NOT NULL, -- tags | terms
    key    text   NOT NULL,
    count  bigint NOT NULL,
    PRIMARY KEY (source, minute, kind, key)
);
