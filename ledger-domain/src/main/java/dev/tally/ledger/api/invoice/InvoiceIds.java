package dev.tally.ledger.api.invoice;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * An invoice's identifier follows from its account and period, so that every server, every retry
 * and every replay names the same invoice the same way.
 */
public final class InvoiceIds {

    public static final String PREFIX = "inv_";

    private InvoiceIds() {
    }

    public static String of(String accountId, Instant periodStart) {
        byte[] name = (accountId + '\n' + periodStart).getBytes(StandardCharsets.UTF_8);
        return PREFIX + UUID.nameUUIDFromBytes(name).toString().replace("-", "");
    }
}
