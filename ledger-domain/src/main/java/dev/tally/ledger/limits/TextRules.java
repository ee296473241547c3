package dev.tally.ledger.limits;

import java.util.Optional;

/**
 * Text the ledger stores is Unicode without control characters (U+0000 to U+001F, U+007F) and
 * without unpaired surrogates. PostgreSQL refuses U+0000 in text, so one such character stored in
 * an event would stop every projection that reads it; the others are invisible or rewrite lines
 * in logs, CSV and documents. Descriptions may hold line feeds and tabs.
 */
public final class TextRules {

    /** The longest id or key (account, grant, charge, idempotency key...). */
    public static final int MAX_ID_LENGTH = 255;
    /** The longest name, email, method or reference. */
    public static final int MAX_NAME_LENGTH = 1024;
    /** The longest description or reason. */
    public static final int MAX_DESCRIPTION_LENGTH = 4096;

    /** Whether a value may span lines: descriptions may, names and ids may not. */
    public enum Lines {
        SINGLE, MULTIPLE
    }

    private TextRules() {
    }

    /** What is wrong with {@code text}, or empty when it may be stored. */
    public static Optional<String> violation(String text, Lines lines) {
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (isControl(c) && !(lines == Lines.MULTIPLE && (c == '\n' || c == '\t'))) {
                return Optional.of(String.format("holds the control character U+%04X at index %d", (int) c, index));
            }
            if (Character.isHighSurrogate(c)) {
                if (index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))) {
                    index++;
                    continue;
                }
                return Optional.of("holds an unpaired surrogate at index " + index);
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of("holds an unpaired surrogate at index " + index);
            }
        }
        return Optional.empty();
    }

    /** Whether the text may be stored anywhere at all, even as a description. */
    public static boolean isStorable(String text) {
        return violation(text, Lines.MULTIPLE).isEmpty();
    }

    /**
     * Whether PostgreSQL's text and JSON can hold the text at all: no U+0000 and no unpaired
     * surrogate. Text from senders the ledger reads leniently (Stripe's descriptions may hold
     * carriage returns) is held to this, the floor below which one value would stop a projection.
     */
    public static boolean isRepresentable(String text) {
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))) {
                index++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7F;
    }
}
