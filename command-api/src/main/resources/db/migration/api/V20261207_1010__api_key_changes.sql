-- Who issued, revoked or rotated which key, and when. Keys are the HTTP edge's own state, not ledger
-- facts, so their history is kept here beside them rather than as events in the ledger's streams
-- (which are accounts and plans, each hash-chained, replayed and exported with the ledger); the
-- trigger below makes it as append-only as the event store.
CREATE TABLE api.api_key_change (
    change_id                   BIGINT       GENERATED ALWAYS AS IDENTITY,
    key_id                      VARCHAR(64)  NOT NULL,
    change                      VARCHAR(16)  NOT NULL CHECK (change IN ('issued', 'revoked', 'rotated')),
    -- The acting admin key's id, system:bootstrap for the first key, or unrecorded for the keys
    -- issued before this table existed.
    actor                       VARCHAR(255) NOT NULL,
    request_id                  VARCHAR(255),
    changed_at                  TIMESTAMPTZ  NOT NULL,
    -- Only for a rotation: until when the replaced secret still works.
    previous_secret_valid_until TIMESTAMPTZ,
    CONSTRAINT api_key_change_pk PRIMARY KEY (change_id),
    CONSTRAINT api_key_change_key_fk FOREIGN KEY (key_id) REFERENCES api.api_key (key_id)
);
CREATE INDEX api_key_change_by_key ON api.api_key_change (key_id, change_id);

INSERT INTO api.api_key_change (key_id, change, actor, changed_at)
SELECT key_id, 'issued', 'unrecorded', created_at FROM api.api_key ORDER BY created_at, key_id;

CREATE FUNCTION api.refuse_api_key_change_edit() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the API key changes are append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER api_key_change_append_only
    BEFORE UPDATE OR DELETE ON api.api_key_change
    FOR EACH ROW EXECUTE FUNCTION api.refuse_api_key_change_edit();

CREATE TRIGGER api_key_change_no_truncate
    BEFORE TRUNCATE ON api.api_key_change
    FOR EACH STATEMENT EXECUTE FUNCTION api.refuse_api_key_change_edit();
