/** The Tally server: wiring of the domain, projections and the HTTP API into one application. */
package dev.tally.server;
