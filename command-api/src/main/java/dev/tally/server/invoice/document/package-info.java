/**
 * Invoices as documents: the PDF a finance team sends a customer, drawn from the invoices
 * projection's view with the issuer's and the customer's details.
 */
package dev.tally.server.invoice.document;
