package dev.tally.server.invoice;

/** Who an invoice is addressed to. */
public record InvoiceCustomer(String accountId, String name, String email) {
}
