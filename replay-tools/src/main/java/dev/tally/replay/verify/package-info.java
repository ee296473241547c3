/**
 * {@code verify}: re-derives everything the ledger's tamper evidence promises from the events
 * alone (hash links, sequence continuity, checkpoints, an auditor's digest file) and the journal
 * invariants of spec section 7, and names the first event where any of them breaks.
 */
package dev.tally.replay.verify;
