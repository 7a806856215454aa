-- The request that created a publication, so its job logs under the same requestId.
ALTER TABLE publications ADD COLUMN request_id TEXT;
