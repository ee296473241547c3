/** Invoice endpoints: closing a period, reading and voiding invoices, the invoice PDF, and invoice numbers. */
package dev.tally.server.invoice;
