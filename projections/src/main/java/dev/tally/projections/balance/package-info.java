/** Accounts, balance figures and credit grants per account, and their reads. */
package dev.tally.projections.balance;
