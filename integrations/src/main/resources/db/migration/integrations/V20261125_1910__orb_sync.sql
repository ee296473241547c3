-- The Orb credit block that mirrors each ledger grant (Orb's void needs the block id), and whether
-- the grant's void or expiry has reached Orb. Written by the orb-accounts processor in the same
-- transaction as its token.
CREATE TABLE integrations.orb_credit_block (
    account_id         text        NOT NULL,
    grant_id           text        NOT NULL,
    block_id           text        NOT NULL,
    increment_entry_id text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    closing_entry_id   text,
    closed_as          text CHECK (closed_as IN ('void', 'expiry')),
    closed_at          timestamptz,
    PRIMARY KEY (account_id, grant_id)
);
