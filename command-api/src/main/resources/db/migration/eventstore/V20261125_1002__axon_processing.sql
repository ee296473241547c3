-- Axon's processing state: streaming processor tokens, sagas and the dead-letter queue.
CREATE SCHEMA IF NOT EXISTS axon;

CREATE TABLE axon.token_entry (
    processorName VARCHAR(255) NOT NULL,
    segment       INTEGER      NOT NULL,
    token         BYTEA        NULL,
    tokenType     VARCHAR(255) NULL,
    timestamp     VARCHAR(255) NULL,
    owner         VARCHAR(255) NULL,
    CONSTRAINT token_entry_pk PRIMARY KEY (processorName, segment)
);

CREATE TABLE axon.saga_entry (
    sagaId         VARCHAR(255) NOT NULL,
    revision       VARCHAR(255),
    sagaType       VARCHAR(255),
    serializedSaga BYTEA,
    CONSTRAINT saga_entry_pk PRIMARY KEY (sagaId)
);

CREATE TABLE axon.association_value_entry (
    id               BIGSERIAL    NOT NULL,
    associationKey   VARCHAR(255),
    associationValue VARCHAR(255),
    sagaId           VARCHAR(255),
    sagaType         VARCHAR(255),
    CONSTRAINT association_value_entry_pk PRIMARY KEY (id)
);
CREATE INDEX association_value_entry_lookup_idx
    ON axon.association_value_entry (sagaType, associationKey, associationValue);
CREATE INDEX association_value_entry_saga_idx ON axon.association_value_entry (sagaId, sagaType);

CREATE TABLE axon.dead_letter_entry (
    deadLetterIdentifier VARCHAR(255)  NOT NULL,
    processingGroup      VARCHAR(255)  NOT NULL,
    sequenceIdentifier   VARCHAR(255)  NOT NULL,
    sequenceIndex        BIGINT        NOT NULL,
    messageType          VARCHAR(255)  NOT NULL,
    eventIdentifier      VARCHAR(255)  NOT NULL,
    timestamp            VARCHAR(255)  NOT NULL,
    payloadType          VARCHAR(255)  NOT NULL,
    payloadRevision      VARCHAR(255),
    payload              BYTEA         NOT NULL,
    metaData             BYTEA,
    type                 VARCHAR(255),
    aggregateIdentifier  VARCHAR(255),
    sequenceNumber       BIGINT,
    tokenType            VARCHAR(255),
    token                BYTEA,
    enqueuedAt           VARCHAR(255)  NOT NULL,
    lastTouched          VARCHAR(255),
    processingStarted    VARCHAR(255),
    causeType            VARCHAR(255),
    causeMessage         VARCHAR(1023),
    diagnostics          BYTEA,
    CONSTRAINT dead_letter_entry_pk PRIMARY KEY (deadLetterIdentifier),
    CONSTRAINT dead_letter_entry_sequence_uk UNIQUE (processingGroup, sequenceIdentifier, sequenceIndex)
);
CREATE INDEX dead_letter_entry_group_idx ON axon.dead_letter_entry (processingGroup);
CREATE INDEX dead_letter_entry_sequence_idx ON axon.dead_letter_entry (processingGroup, sequenceIdentifier);
