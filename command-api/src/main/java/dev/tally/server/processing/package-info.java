/**
 * The event processors as an operator sees them: how far behind the ledger each one is, and the
 * events it dead-lettered, which an admin lists, retries after a fix, or discards.
 */
package dev.tally.server.processing;
