-- Invoices as finance reads them, their lines, and each account's next period to close (the
-- invoicing scheduler's question). invoice_progress is the redelivery guard of the invoices
-- projection: the last account sequence it applied.
CREATE TABLE projections.invoice (
    invoice_id             VARCHAR(64)  NOT NULL,
    number                 VARCHAR(64)  NOT NULL,
    account_id             VARCHAR(255) NOT NULL,
    currency               CHAR(3)      NOT NULL,
    period_start           TIMESTAMPTZ  NOT NULL,
    period_end             TIMESTAMPTZ  NOT NULL,
    status                 VARCHAR(16)  NOT NULL CHECK (status IN ('issued', 'paid', 'void')),
    issued_at              TIMESTAMPTZ  NOT NULL,
    subtotal               NUMERIC      NOT NULL,
    credits_applied        NUMERIC      NOT NULL,
    credit_carried_forward NUMERIC      NOT NULL,
    total                  NUMERIC      NOT NULL,
    amount_paid            NUMERIC      NOT NULL,
    voided_at              TIMESTAMPTZ,
    void_reason            VARCHAR(4096),
    CONSTRAINT invoice_pk PRIMARY KEY (invoice_id),
    CONSTRAINT invoice_number_unique UNIQUE (number),
    CONSTRAINT invoice_period_unique UNIQUE (account_id, period_start)
);

CREATE TABLE projections.invoice_line (
    invoice_id   VARCHAR(64)   NOT NULL REFERENCES projections.invoice (invoice_id) ON DELETE CASCADE,
    line_no      INTEGER       NOT NULL,
    kind         VARCHAR(16)   NOT NULL,
    meter        VARCHAR(255),
    period_start TIMESTAMPTZ   NOT NULL,
    quantity     NUMERIC,
    plan_version INTEGER,
    description  VARCHAR(4096) NOT NULL,
    amount       NUMERIC       NOT NULL,
    CONSTRAINT invoice_line_pk PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE projections.invoice_progress (
    account_id    VARCHAR(255) NOT NULL,
    last_sequence BIGINT       NOT NULL,
    CONSTRAINT invoice_progress_pk PRIMARY KEY (account_id)
);

CREATE TABLE projections.billing_schedule (
    account_id         VARCHAR(255) NOT NULL,
    billing_anchor_day INTEGER      NOT NULL,
    next_period_start  TIMESTAMPTZ  NOT NULL,
    next_period_end    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT billing_schedule_pk PRIMARY KEY (account_id)
);
CREATE INDEX billing_schedule_due_idx ON projections.billing_schedule (next_period_end);
