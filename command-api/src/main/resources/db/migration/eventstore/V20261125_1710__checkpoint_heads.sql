-- Checkpoints (spec section 9) digest the head of every stream at a global position. The heads
-- are kept here so that each checkpoint reads only the events appended since the previous one.
-- This table is a cache, not evidence: verify recomputes every head from the events themselves,
-- so a changed row here shows up as a checkpoint that the events do not reproduce.
CREATE TABLE events.stream_head (
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    hash                BYTEA        NOT NULL,
    globalIndex         BIGINT       NOT NULL,
    CONSTRAINT stream_head_pk PRIMARY KEY (aggregateIdentifier)
);

CREATE TABLE events.stream_head_progress (
    singleton BOOLEAN NOT NULL DEFAULT TRUE,
    position  BIGINT  NOT NULL,
    CONSTRAINT stream_head_progress_pk PRIMARY KEY (singleton),
    CONSTRAINT stream_head_progress_singleton CHECK (singleton)
);
INSERT INTO events.stream_head_progress (position) VALUES (0);

-- The highest global position below which every event is committed. Global indexes are handed out
-- before commit, so a transaction still in flight may yet add an event below the current maximum;
-- waiting for a SHARE lock lets every such transaction finish first. Writers pause only for that
-- wait. SECURITY DEFINER because the application's role may append but not take this lock.
CREATE FUNCTION events.settled_position() RETURNS BIGINT
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS
$$
BEGIN
    LOCK TABLE events.domain_event_entry IN SHARE MODE;
    RETURN COALESCE((SELECT max(globalIndex) FROM events.domain_event_entry), 0);
END;
$$;
REVOKE EXECUTE ON FUNCTION events.settled_position() FROM PUBLIC;
