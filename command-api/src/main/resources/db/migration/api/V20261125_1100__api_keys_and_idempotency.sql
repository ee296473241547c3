-- The HTTP edge's own state: API keys (stored only as SHA-256 hashes) and the responses kept
-- for Idempotency-Key replays.
CREATE SCHEMA IF NOT EXISTS api;

CREATE TABLE api.api_key (
    key_id      VARCHAR(64)  NOT NULL,
    key_hash    CHAR(64)     NOT NULL,
    name        VARCHAR(255) NOT NULL,
    role        VARCHAR(16)  NOT NULL CHECK (role IN ('admin', 'finance', 'auditor', 'client')),
    account_ids TEXT[]       NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT api_key_pk PRIMARY KEY (key_id),
    CONSTRAINT api_key_hash_uk UNIQUE (key_hash)
);

CREATE TABLE api.idempotency_record (
    key_id          VARCHAR(64)  NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    CHAR(64)     NOT NULL,
    status          INTEGER      NOT NULL,
    content_type    VARCHAR(255),
    headers         JSONB        NOT NULL DEFAULT '{}',
    body            BYTEA,
    created_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT idempotency_record_pk PRIMARY KEY (key_id, idempotency_key)
);
