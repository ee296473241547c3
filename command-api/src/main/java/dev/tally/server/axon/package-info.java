/** Axon Framework wiring: storage on PostgreSQL, serialization, aggregates, processors, plan catalogue. */
package dev.tally.server.axon;
