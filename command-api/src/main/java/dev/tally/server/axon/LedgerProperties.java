package dev.tally.server.axon;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Ledger rules that operators may tune. */
@ConfigurationProperties(prefix = "tally.ledger")
public record LedgerProperties(Duration backfillWindow) {

    public Duration backfillWindowOrDefault() {
        return backfillWindow == null ? dev.tally.ledger.LedgerSettings.DEFAULT_BACKFILL_WINDOW : backfillWindow;
    }
}
