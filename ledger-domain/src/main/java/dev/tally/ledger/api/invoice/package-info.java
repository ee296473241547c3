/** Invoices: closing a billing period, the invoice document's lines, voids (spec section 5). */
package dev.tally.ledger.api.invoice;
