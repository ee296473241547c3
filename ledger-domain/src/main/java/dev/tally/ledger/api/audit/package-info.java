/** Commands and events of the ledger's own tamper evidence: checkpoints over all stream heads. */
package dev.tally.ledger.api.audit;
