-- The warehouse export's own bookkeeping, beside the processor's token in the same database so
-- that both commit in one transaction.
CREATE SCHEMA IF NOT EXISTS warehouse;

-- Which events each destination (target, e.g. 'bigquery:project.dataset') has acknowledged. Kept
-- per global position, not as one high-water mark: an event that fills a gap in the global order
-- commits after higher positions were already exported.
CREATE TABLE warehouse.exported_event (
    target          TEXT        NOT NULL,
    global_position BIGINT      NOT NULL,
    exported_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT exported_event_pk PRIMARY KEY (target, global_position)
);

-- Rows a destination refused (BigQuery insertErrors), with its reason: dead letters for an
-- operator to look at, which never hold up the rest of the export.
CREATE TABLE warehouse.refused_row (
    target          TEXT        NOT NULL,
    table_name      TEXT        NOT NULL,
    event_id        TEXT        NOT NULL,
    global_position BIGINT      NOT NULL,
    reason          TEXT        NOT NULL,
    refused_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT refused_row_pk PRIMARY KEY (target, table_name, event_id)
);
