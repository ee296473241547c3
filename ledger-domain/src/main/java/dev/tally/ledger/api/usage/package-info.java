/** Usage events: submission in batches, per-event outcomes, and the rated record. */
package dev.tally.ledger.api.usage;
