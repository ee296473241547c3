/** The journal: the balanced postings each monetary event makes. */
package dev.tally.ledger.journal;
