/**
 * Read models of the ledger, each maintained by its own Axon streaming processor from the
 * event store into the {@code projections} schema, idempotent under redelivery and rebuildable
 * from the events (a reset deletes the rows and replays). Projections never dispatch commands.
 */
package dev.tally.projections;
