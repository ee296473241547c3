/** Manual charges and adjustments. */
package dev.tally.ledger.api.charge;
