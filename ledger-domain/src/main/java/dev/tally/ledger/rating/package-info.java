/** Pure pricing: the four price models as f(Q), and the checks a plan's prices must pass. */
package dev.tally.ledger.rating;
