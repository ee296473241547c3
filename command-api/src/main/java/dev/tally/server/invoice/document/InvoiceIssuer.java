package dev.tally.server.invoice.document;

import java.util.List;
import java.util.Objects;

/** Who issues the invoice, as printed at its head: the legal name, the postal address and where to write. */
public record InvoiceIssuer(String name, List<String> addressLines, String email) {

    public InvoiceIssuer {
        Objects.requireNonNull(name, "an invoice names its issuer");
        addressLines = addressLines == null ? List.of() : List.copyOf(addressLines);
    }
}
