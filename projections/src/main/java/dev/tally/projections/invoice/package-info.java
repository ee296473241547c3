/** The invoices projection: every invoice with its lines, payments and status, for the read endpoints and the PDF. */
package dev.tally.projections.invoice;
