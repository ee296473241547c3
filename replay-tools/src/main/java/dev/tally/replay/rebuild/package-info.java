/**
 * {@code rebuild}: the server's projections run by Axon over a read-only snapshot of the events,
 * writing into a shadow schema beside the live one.
 */
package dev.tally.replay.rebuild;
