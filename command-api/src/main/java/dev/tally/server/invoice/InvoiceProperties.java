package dev.tally.server.invoice;

import dev.tally.server.invoice.document.InvoiceIssuer;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Invoicing settings: how long after a period's end it closes, how invoice numbers start, who
 * issues the invoices, and how often the scheduler looks for periods to close.
 */
@ConfigurationProperties(prefix = "tally.invoice")
public record InvoiceProperties(Duration gracePeriod, String numberPrefix, String issuerName,
                                List<String> issuerAddress, String issuerEmail, boolean schedulerEnabled) {

    public InvoiceProperties {
        gracePeriod = gracePeriod == null ? Duration.ofHours(1) : gracePeriod;
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("tally.invoice.grace-period cannot be negative");
        }
        numberPrefix = numberPrefix == null || numberPrefix.isBlank() ? "TLY" : numberPrefix;
        if (!numberPrefix.matches("[A-Z0-9]{1,16}")) {
            throw new IllegalArgumentException("tally.invoice.number-prefix is 1-16 capital letters or digits");
        }
        issuerName = issuerName == null || issuerName.isBlank() ? "Tally" : issuerName;
        issuerAddress = issuerAddress == null ? List.of() : List.copyOf(issuerAddress);
    }

    public InvoiceIssuer issuer() {
        return new InvoiceIssuer(issuerName, issuerAddress, issuerEmail);
    }
}
