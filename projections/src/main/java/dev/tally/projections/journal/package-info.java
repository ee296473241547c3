/** The double-entry journal's postings, and their reads. */
package dev.tally.projections.journal;
