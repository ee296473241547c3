/** Credit grants, their funding of accruals and charges, voids, expiry and balance warnings. */
package dev.tally.ledger.api.credit;
