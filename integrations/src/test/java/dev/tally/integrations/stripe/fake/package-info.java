/**
 * A stateful fake of the Stripe v1 API, spoken to by stripe-java itself: customers, invoice items,
 * invoices (create, finalize, pay), idempotency replay, switchable faults, and signed webhook
 * deliveries. Every request is checked against Stripe's OpenAPI document. Shared with the server's
 * end-to-end tests through this module's test-jar.
 */
package dev.tally.integrations.stripe.fake;
