/**
 * Tamper evidence (spec section 9): the canonical bytes and hash-chain links of stored events,
 * and the digest of all stream heads at a checkpoint. Pure functions, so that the server, the
 * replay tools and an auditor's own script compute exactly the same figures.
 */
package dev.tally.ledger.audit;
