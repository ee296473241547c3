/** Typed answers to commands and the catalogue of stable error codes. */
package dev.tally.ledger.api.outcome;
