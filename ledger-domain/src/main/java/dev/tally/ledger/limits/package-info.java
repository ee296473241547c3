/**
 * The limits every value must keep before it becomes part of the ledger (spec section 3): text
 * without control characters or unpaired surrogates, quantities and amounts of bounded size, and
 * instants within the years the ledger and PostgreSQL can both hold. The HTTP boundary and every
 * other way into the ledger ask these rules, so that one answer holds for the same value
 * wherever it comes from.
 */
package dev.tally.ledger.limits;
