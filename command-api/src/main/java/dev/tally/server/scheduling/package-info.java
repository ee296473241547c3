/** Durable schedulers driven by projected state: credit expiry. */
package dev.tally.server.scheduling;
