-- The event store: Axon's JDBC storage engine tables. Payload and metadata are JSON in jsonb
-- columns so that SQL (auditors, replay tools) can read them directly.
CREATE SCHEMA IF NOT EXISTS events;

-- One global order of all events. No cache, so that indexes are handed out in commit order as
-- closely as PostgreSQL allows and no block of indexes is lost on restart.
CREATE SEQUENCE events.global_index_seq AS BIGINT START WITH 1 INCREMENT BY 1 NO CYCLE CACHE 1;

CREATE TABLE events.domain_event_entry (
    globalIndex         BIGINT       NOT NULL DEFAULT nextval('events.global_index_seq'),
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255),
    eventIdentifier     VARCHAR(255) NOT NULL,
    metaData            JSONB,
    payload             JSONB        NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    CONSTRAINT domain_event_entry_pk PRIMARY KEY (globalIndex),
    CONSTRAINT domain_event_entry_aggregate_sequence_uk UNIQUE (aggregateIdentifier, sequenceNumber),
    CONSTRAINT domain_event_entry_event_identifier_uk UNIQUE (eventIdentifier)
);
ALTER SEQUENCE events.global_index_seq OWNED BY events.domain_event_entry.globalIndex;

CREATE TABLE events.snapshot_event_entry (
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255) NOT NULL,
    eventIdentifier     VARCHAR(255) NOT NULL,
    metaData            JSONB,
    payload             JSONB        NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    CONSTRAINT snapshot_event_entry_pk PRIMARY KEY (aggregateIdentifier, sequenceNumber),
    CONSTRAINT snapshot_event_entry_event_identifier_uk UNIQUE (eventIdentifier)
);
