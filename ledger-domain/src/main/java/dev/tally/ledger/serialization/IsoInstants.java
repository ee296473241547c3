package dev.tally.ledger.serialization;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The canonical UTC form of an instant, {@code 2026-11-25T16:20:01.512Z}, written and read without
 * {@link DateTimeFormatter}. Every event carries several instants, and formatting and parsing them
 * through the general formatter took about a fifth of the projection's CPU. The text is exactly
 * {@link DateTimeFormatter#ISO_INSTANT}'s: the stored events and their hash chain do not change.
 */
public final class IsoInstants {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long FIRST_SECOND_OF_YEAR_ZERO = LocalDate.of(0, 1, 1).toEpochDay() * SECONDS_PER_DAY;
    private static final long FIRST_SECOND_OF_YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * SECONDS_PER_DAY;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private IsoInstants() {
    }

    /** {@code instant} as {@link DateTimeFormatter#ISO_INSTANT} writes it. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND_OF_YEAR_ZERO || seconds >= FIRST_SECOND_OF_YEAR_10000) {
            // Signed and five-digit years: rare enough for the general formatter.
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        char[] text = new char[30];
        dateAndTime(text, seconds);
        int length = 19;
        int nanos = instant.getNano();
        if (nanos != 0) {
            // Fractions in groups of three digits, as many groups as the value needs.
            text[length++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(text, length, nanos / 1_000_000, 3);
                length += 3;
            } else if (nanos % 1_000 == 0) {
                digits(text, length, nanos / 1_000, 6);
                length += 6;
            } else {
                digits(text, length, nanos, 9);
                length += 9;
            }
        }
        text[length++] = 'Z';
        return new String(text, 0, length);
    }

    /**
     * {@code instant} truncated to the millisecond with always three fraction digits, as Axon's event
     * store writes every event's timestamp column ({@code 2026-11-25T16:20:01.500Z}); {@code null}
     * outside the years 0000-9999, which the caller formats the general way.
     */
    public static String formatMillis(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND_OF_YEAR_ZERO || seconds >= FIRST_SECOND_OF_YEAR_10000) {
            return null;
        }
        char[] text = new char[24];
        dateAndTime(text, seconds);
        text[19] = '.';
        digits(text, 20, instant.getNano() / 1_000_000, 3);
        text[23] = 'Z';
        return new String(text);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} of the UTC second {@code seconds} into the first 19 places of {@code text}. */
    private static void dateAndTime(char[] text, long seconds) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        digits(text, 0, time.getYear(), 4);
        text[4] = '-';
        digits(text, 5, time.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, time.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, time.getHour(), 2);
        text[13] = ':';
        digits(text, 14, time.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, time.getSecond(), 2);
    }

    /**
     * The instant {@code text} names if it is in the canonical form (four-digit year, seconds, an
     * optional fraction of one to nine digits, {@code Z}); {@code null} for anything else, which the
     * caller parses the general way. For a canonical text the result equals {@link Instant#parse}'s.
     */
    public static Instant parseCanonical(CharSequence text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            if (text.charAt(19) != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = number(text, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS_OF_TEN[9 - fractionDigits];
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException impossibleDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second, nanos);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int index = at + width - 1; index >= at; index--) {
            text[index] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number of {@code width} digits at {@code at}; -1 if any of them is not a digit. */
    private static int number(CharSequence text, int at, int width) {
        int value = 0;
        for (int index = at; index < at + width; index++) {
            char digit = text.charAt(index);
            if (digit < '0' || digit > '9') {
                return -1;
            }
            value = value * 10 + (digit - '0');
        }
        return value;
    }
}
