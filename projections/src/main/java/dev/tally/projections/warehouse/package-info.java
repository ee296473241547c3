/**
 * The warehouse export: every ledger event as a row of {@code ledger_events} (and every usage event
 * as a row of {@code usage_daily}), written to BigQuery or, with no BigQuery configured, to
 * day-partitioned NDJSON files. The row mapping, the destinations and the exported-event ledger
 * that makes redelivery and replays harmless live here, without Spring wiring, so that the server's
 * streaming processor and the replay tools' backfill export the same rows under the same rules.
 */
package dev.tally.projections.warehouse;
