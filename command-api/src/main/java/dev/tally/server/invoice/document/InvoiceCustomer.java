package dev.tally.server.invoice.document;

/** Who the invoice is billed to. */
public record InvoiceCustomer(String accountId, String name, String email) {
}
