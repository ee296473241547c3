/**
 * Server roles ({@code TALLY_ROLES}): which parts of the ledger one process runs, so that
 * Kubernetes can scale the HTTP API, the projection processor and the schedulers separately from
 * one image, and run the migrations alone before any of them.
 */
package dev.tally.server.role;
