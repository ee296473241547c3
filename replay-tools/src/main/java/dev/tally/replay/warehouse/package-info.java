/**
 * {@code export-warehouse}: the warehouse backfill. It re-exports the ledger's events from a global
 * position to BigQuery or NDJSON files with the server's row mapping and under the same
 * exactly-once rules (the exported-event ledger in PostgreSQL, insertId = event id, NDJSON merged
 * by event id), so running it beside the live export, or twice, duplicates nothing.
 */
package dev.tally.replay.warehouse;
