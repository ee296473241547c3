/** The double-entry journal's vocabulary: postings and ledger account names. */
package dev.tally.ledger.api.journal;
