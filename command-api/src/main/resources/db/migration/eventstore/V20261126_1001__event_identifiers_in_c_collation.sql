-- Aggregate and event identifiers are compared byte for byte (see the projections' migration of
-- the same day): every append inserts both into unique indexes, and every aggregate load looks one
-- up. Equality, and with it every uniqueness guarantee, is unchanged.
ALTER TABLE events.domain_event_entry
    ALTER COLUMN aggregateIdentifier TYPE VARCHAR(255) COLLATE "C",
    ALTER COLUMN eventIdentifier TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE events.snapshot_event_entry
    ALTER COLUMN aggregateIdentifier TYPE VARCHAR(255) COLLATE "C",
    ALTER COLUMN eventIdentifier TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE events.stream_head
    ALTER COLUMN aggregateIdentifier TYPE VARCHAR(255) COLLATE "C";
