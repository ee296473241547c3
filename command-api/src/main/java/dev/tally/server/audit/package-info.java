/**
 * The audit trail over HTTP: every event of an account with its metadata and hash-chain link,
 * and the ledger's checkpoints, taken on a schedule and exported as a small file an auditor
 * keeps outside the database.
 */
package dev.tally.server.audit;
