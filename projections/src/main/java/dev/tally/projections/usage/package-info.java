/** Usage per account, meter and day, and its reads. */
package dev.tally.projections.usage;
