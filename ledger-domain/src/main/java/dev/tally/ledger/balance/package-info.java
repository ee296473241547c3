/** Balance figures folded from an account's events in memory: the reference for "as of" answers. */
package dev.tally.ledger.balance;
