/** Idempotency-Key replay and conflict for every POST, and the request body limits. */
package dev.tally.server.web.idempotency;
