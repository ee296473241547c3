/** HTTP details that the Orb client and the Stripe client read alike. */
package dev.tally.integrations.http;
