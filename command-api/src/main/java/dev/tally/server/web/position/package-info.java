/** Ledger-Position on command answers and minPosition waits on reads. */
package dev.tally.server.web.position;
