/** Payment and refund endpoints. */
package dev.tally.server.payment;
