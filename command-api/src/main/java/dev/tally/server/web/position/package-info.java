/**
 * Ledger-Position on command answers and minPosition waits on reads; accounts whose views are
 * stalled behind an event the projections cannot apply, answered as such (and in health).
 */
package dev.tally.server.web.position;
