/** Reaching the ledger database: connection options with the server's defaults, read-only snapshots, the write pool. */
package dev.tally.replay.connection;
