/** Exact money: amounts in one currency, with the ISO-4217 minor units used for rounding. */
package dev.tally.ledger.api.money;
