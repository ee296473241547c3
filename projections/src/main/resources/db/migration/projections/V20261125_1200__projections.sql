-- Read models, owned by the projections module and rebuilt from events at any time. Every
-- table that folds events keeps the last aggregate sequence it applied per account, so that a
-- redelivered event is recognised and skipped.
CREATE SCHEMA IF NOT EXISTS projections;

CREATE TABLE projections.account (
    account_id            VARCHAR(255)  NOT NULL,
    name                  VARCHAR(1024),
    currency              CHAR(3)       NOT NULL,
    plan_id               VARCHAR(255)  NOT NULL,
    billing_anchor_day    INTEGER       NOT NULL,
    billing_start         TIMESTAMPTZ   NOT NULL,
    low_balance_threshold NUMERIC(38, 18),
    email                 VARCHAR(1024),
    opened_at             TIMESTAMPTZ   NOT NULL,
    orb_customer_id       VARCHAR(255),
    stripe_customer_id    VARCHAR(255),
    credit_balance        NUMERIC(38, 18) NOT NULL DEFAULT 0,
    unbilled              NUMERIC(38, 18) NOT NULL DEFAULT 0,
    invoiced_outstanding  NUMERIC(38, 18) NOT NULL DEFAULT 0,
    unapplied_cash        NUMERIC(38, 18) NOT NULL DEFAULT 0,
    last_sequence         BIGINT        NOT NULL,
    last_position         BIGINT        NOT NULL,
    CONSTRAINT account_pk PRIMARY KEY (account_id)
);

CREATE TABLE projections.credit_grant (
    account_id   VARCHAR(255)    NOT NULL,
    grant_id     VARCHAR(255)    NOT NULL,
    kind         VARCHAR(16)     NOT NULL,
    amount       NUMERIC(38, 18) NOT NULL,
    remaining    NUMERIC(38, 18) NOT NULL,
    effective_at TIMESTAMPTZ     NOT NULL,
    expires_at   TIMESTAMPTZ,
    priority     INTEGER         NOT NULL,
    description  VARCHAR(4096),
    status       VARCHAR(16)     NOT NULL CHECK (status IN ('active', 'voided', 'expired')),
    granted_at   TIMESTAMPTZ     NOT NULL,
    CONSTRAINT credit_grant_pk PRIMARY KEY (account_id, grant_id)
);
-- The expiry scheduler's question: which active grants have passed their expiry?
CREATE INDEX credit_grant_expiry_idx ON projections.credit_grant (expires_at) WHERE status = 'active';

CREATE TABLE projections.usage_progress (
    account_id    VARCHAR(255) NOT NULL,
    last_sequence BIGINT       NOT NULL,
    CONSTRAINT usage_progress_pk PRIMARY KEY (account_id)
);

CREATE TABLE projections.usage_daily (
    account_id VARCHAR(255)    NOT NULL,
    meter      VARCHAR(255)    NOT NULL,
    day        DATE            NOT NULL,
    quantity   NUMERIC(38, 18) NOT NULL,
    accrued    NUMERIC(38, 18) NOT NULL,
    events     BIGINT          NOT NULL,
    CONSTRAINT usage_daily_pk PRIMARY KEY (account_id, meter, day)
);

CREATE TABLE projections.journal_posting (
    position       BIGINT          NOT NULL,
    line           INTEGER         NOT NULL,
    event_id       VARCHAR(255)    NOT NULL,
    account_id     VARCHAR(255)    NOT NULL,
    recorded_at    TIMESTAMPTZ     NOT NULL,
    ledger_account VARCHAR(512)    NOT NULL,
    debit          NUMERIC(38, 18) NOT NULL,
    credit         NUMERIC(38, 18) NOT NULL,
    description    VARCHAR(4096),
    CONSTRAINT journal_posting_pk PRIMARY KEY (position, line)
);
CREATE INDEX journal_posting_account_idx ON projections.journal_posting (account_id, position, line);
CREATE INDEX journal_posting_ledger_account_idx ON projections.journal_posting (ledger_account);
