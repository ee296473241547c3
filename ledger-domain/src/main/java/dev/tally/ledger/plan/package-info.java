/** The plan aggregate (versions of prices) and the catalogue the account aggregate reads them from. */
package dev.tally.ledger.plan;
