package dev.tally.server.invoice;

import java.util.List;

/** Who issues the invoices, as printed at the top of each one. */
public record InvoiceIssuer(String name, List<String> addressLines, String email) {

    public InvoiceIssuer {
        addressLines = addressLines == null ? List.of() : List.copyOf(addressLines);
    }
}
