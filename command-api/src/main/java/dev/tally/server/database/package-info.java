/** Where the ledger's PostgreSQL is: the embedded default or a configured server, its pools and roles. */
package dev.tally.server.database;
