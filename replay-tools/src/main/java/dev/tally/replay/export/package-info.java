/** {@code export}: an account's events as CSV or NDJSON, streamed from the event store. */
package dev.tally.replay.export;
