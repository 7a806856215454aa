-- The unique (post_id, platform, account_id) index serves every lookup by post_id, already in the order the reads
-- want; this one only cost an extra index entry on every non-HOT update of a publication.
DROP INDEX publications_post_idx;
