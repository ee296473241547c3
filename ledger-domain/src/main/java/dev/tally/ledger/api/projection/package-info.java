/**
 * Decisions about the read models that are ledger facts in their own right: an admin skipping an
 * event that a projection cannot apply, so that the account's views move on and every projection
 * and the rebuild leave the same event out.
 */
package dev.tally.ledger.api.projection;
