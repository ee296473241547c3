/**
 * The HTTP edge shared by every endpoint: problem+json errors, API-key authentication and
 * roles, Idempotency-Key replay, body limits, command dispatch and read-your-writes positions.
 * The endpoints themselves live in one package per feature beside this one.
 */
package dev.tally.server.web;
