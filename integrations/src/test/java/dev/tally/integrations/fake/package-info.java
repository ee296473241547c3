/**
 * What the fake Orb and the fake Stripe share: a request held in flight until the test releases it,
 * for the idempotency conflicts that only concurrent requests meet.
 */
package dev.tally.integrations.fake;
