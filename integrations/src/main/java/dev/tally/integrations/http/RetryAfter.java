package dev.tally.integrations.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code Retry-After} response header: a delay in seconds, or an HTTP date (RFC 9110, section 10.2.3). */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * How long {@code value} asks the client to wait from {@code now}; never negative (a date in the
     * past asks for no wait). Empty when the header is absent or malformed: such a header is as good as none.
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            // Fractions are not HTTP's, but some servers send them; reading them costs nothing.
            return Optional.of(Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(value.trim()) * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(now, at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
