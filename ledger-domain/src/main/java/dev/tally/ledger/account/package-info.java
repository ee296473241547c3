/**
 * The account aggregate: opening, usage rating, credit drawdown and restoration, charges,
 * payments and refunds, with the pure helpers it decides with.
 */
package dev.tally.ledger.account;
