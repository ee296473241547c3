/**
 * Keeps Orb (usage metering) in step with the ledger: Orb customers for accounts, usage forwarded
 * to Orb's ingest endpoint, and credit grants mirrored in Orb's credit ledger. Tally stays the
 * system of record: every call is derived from a ledger event, carries an idempotency key derived
 * from ledger ids, and is never made during a replay. {@link dev.tally.integrations.orb.OrbClient}
 * is our own small HTTP client (the Orb SDK is not available), with bounded retries.
 */
package dev.tally.integrations.orb;
