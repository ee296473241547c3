package dev.tally.ledger.account;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageSubmission;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The checks a usage submission passes before it is rated, each with its own rejection code. */
final class UsageRules {

    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    static final int MAX_PROPERTIES = 64;
    static final int MAX_PROPERTIES_CHARS = 4096;

    private UsageRules() {
    }

    /** Missing fields and malformed content, checked before anything else. */
    static Optional<UsageOutcome> malformed(UsageSubmission event) {
        String key = event.idempotencyKey();
        if (key == null || key.isEmpty()) {
            return reject(key, ErrorCode.MISSING_FIELD, "idempotencyKey is required");
        }
        if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            return reject(key, ErrorCode.INVALID_IDEMPOTENCY_KEY, "idempotencyKey is 1-255 characters");
        }
        if (event.meter() == null || event.meter().isEmpty()) {
            return reject(key, ErrorCode.MISSING_FIELD, "meter is required");
        }
        if (event.quantity() == null) {
            return reject(key, ErrorCode.MISSING_FIELD, "quantity is required");
        }
        if (event.timestamp() == null) {
            return reject(key, ErrorCode.MISSING_FIELD, "timestamp is required");
        }
        return propertiesProblem(event.properties()).flatMap(detail -> reject(key, ErrorCode.INVALID_PROPERTIES, detail));
    }

    static Optional<UsageOutcome> outOfRange(UsageSubmission event, Instant now, Instant backfillLimit,
                                             Instant futureLimit, Instant billingStart) {
        String key = event.idempotencyKey();
        if (event.quantity().signum() < 0) {
            return reject(key, ErrorCode.NEGATIVE_QUANTITY, "quantity cannot be negative");
        }
        if (event.timestamp().isAfter(futureLimit)) {
            return reject(key, ErrorCode.TIMESTAMP_IN_FUTURE, "timestamp is more than 5 minutes ahead of " + now);
        }
        if (event.timestamp().isBefore(backfillLimit)) {
            return reject(key, ErrorCode.TIMESTAMP_TOO_OLD, "timestamp is older than the backfill window, " + backfillLimit);
        }
        if (event.timestamp().isBefore(billingStart)) {
            return reject(key, ErrorCode.TIMESTAMP_BEFORE_BILLING_START, "the account is billed from " + billingStart);
        }
        return Optional.empty();
    }

    private static Optional<String> propertiesProblem(Map<String, Object> properties) {
        if (properties.size() > MAX_PROPERTIES) {
            return Optional.of("at most " + MAX_PROPERTIES + " properties");
        }
        int chars = 2;
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            Object value = entry.getValue();
            if (!(value instanceof String) && !(value instanceof Number)) {
                return Optional.of("property " + entry.getKey() + " must be a string or a number");
            }
            chars += entry.getKey().length() + String.valueOf(value).length() + 6;
        }
        return chars > MAX_PROPERTIES_CHARS ? Optional.of("properties exceed 4 KiB") : Optional.empty();
    }

    static String fingerprint(UsageSubmission event) {
        return Fingerprint.of(event.meter(), event.quantity(), event.timestamp(), event.properties());
    }

    static boolean isNormalDecimal(BigDecimal value) {
        return value.scale() <= 18 && value.precision() - value.scale() <= 18;
    }

    private static Optional<UsageOutcome> reject(String key, ErrorCode code, String detail) {
        return Optional.of(UsageOutcome.rejected(key, code, detail));
    }
}
