/**
 * The server's side of the warehouse export: its settings and its own pooled streaming processor
 * ({@code warehouse-export}) with a dead-letter queue, kept apart from the projections' wiring.
 * The export itself lives in {@code dev.tally.projections.warehouse}, shared with the replay tools.
 */
package dev.tally.server.warehouse;
