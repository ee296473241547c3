-- Stripe synchronisation and webhooks: what Tally already said to (or heard from) Stripe and Orb.

-- Which Stripe customer bills which ledger account (the ledger records the same link as an event).
CREATE TABLE integrations.stripe_customer (
    account_id  text PRIMARY KEY,
    customer_id text        NOT NULL,
    linked_at   timestamptz NOT NULL
);

-- Which ledger payment a Stripe PaymentIntent became, so that refunds and disputes find it.
CREATE TABLE integrations.stripe_payment (
    payment_intent_id text PRIMARY KEY,
    account_id        text        NOT NULL,
    payment_id        text        NOT NULL,
    linked_at         timestamptz NOT NULL
);

-- Every verified webhook delivery, once per (source, event id): a redelivery is recognised, and an
-- event that cannot apply yet stays pending until a later delivery or the periodic retry applies it.
CREATE TABLE integrations.webhook_inbox (
    source       text        NOT NULL,
    event_id     text        NOT NULL,
    event_type   text        NOT NULL,
    payload      text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('pending', 'applied', 'ignored')),
    detail       text,
    attempts     integer     NOT NULL DEFAULT 0,
    received_at  timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (source, event_id)
);
CREATE INDEX webhook_inbox_pending_idx ON integrations.webhook_inbox (source, updated_at) WHERE status = 'pending';

-- db-scheduler's table (its PostgreSQL layout), holding the Stripe saga's deadlines (due dates, retries).
CREATE TABLE integrations.scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time_idx ON integrations.scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON integrations.scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON integrations.scheduled_tasks (priority DESC, execution_time ASC);
