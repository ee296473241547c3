/**
 * The replay tools' command-line program (spec section 9): each command is a feature package
 * (export, history, balance, rebuild, diff) over the shared connection and event-reading packages.
 * The tools only read the event store; rebuild writes into a shadow schema, never the live one.
 */
package dev.tally.replay;
