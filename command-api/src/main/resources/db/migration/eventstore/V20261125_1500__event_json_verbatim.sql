-- Events keep their JSON exactly as written (type json, not jsonb): PostgreSQL only validates it on
-- insert instead of converting it to jsonb and back on every append and every read by the
-- processors, and the stored text is byte for byte what was serialized (what a hash chain needs).
-- SQL still reads it: payload ->> 'idempotencyKey'.
ALTER TABLE events.domain_event_entry ALTER COLUMN payload TYPE json USING payload::json;
ALTER TABLE events.domain_event_entry ALTER COLUMN metaData TYPE json USING metaData::json;
ALTER TABLE events.snapshot_event_entry ALTER COLUMN payload TYPE json USING payload::json;
ALTER TABLE events.snapshot_event_entry ALTER COLUMN metaData TYPE json USING metaData::json;
