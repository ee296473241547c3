/** Usage endpoints: batches split per account and recorded in parallel; daily usage reads. */
package dev.tally.server.usage;
