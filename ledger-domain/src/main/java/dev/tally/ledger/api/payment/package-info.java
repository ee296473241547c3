/** Payments received, their application, and refunds. */
package dev.tally.ledger.api.payment;
