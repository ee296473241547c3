/** Billing periods: which monthly period, anchored on an account's day, contains an instant. */
package dev.tally.ledger.calendar;
