-- Keys can be revoked and rotated (spec section 8). A revoked key answers 401 from its revocation
-- on; its row stays, so that the key id recorded as the actor of events still names a key.
ALTER TABLE api.api_key ADD COLUMN revoked_at TIMESTAMPTZ;

-- The secrets a rotation replaced. api_key.key_hash is always the current secret's hash; a replaced
-- one keeps working until valid_until (the rotation's time plus the grace period it was given), so
-- that clients can move to the new secret without a moment in which neither works.
CREATE TABLE api.api_key_retired_secret (
    key_hash    CHAR(64)    NOT NULL,
    key_id      VARCHAR(64) NOT NULL,
    retired_at  TIMESTAMPTZ NOT NULL,
    valid_until TIMESTAMPTZ NOT NULL,
    CONSTRAINT api_key_retired_secret_pk PRIMARY KEY (key_hash),
    CONSTRAINT api_key_retired_secret_key_fk FOREIGN KEY (key_id) REFERENCES api.api_key (key_id),
    CONSTRAINT api_key_retired_secret_window CHECK (valid_until >= retired_at)
);
CREATE INDEX api_key_retired_secret_by_key ON api.api_key_retired_secret (key_id);
