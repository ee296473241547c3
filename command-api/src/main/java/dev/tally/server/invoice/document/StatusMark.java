package dev.tally.server.invoice.document;

import java.util.Locale;

/** The invoice's status as printed ("ISSUED", "PAID", "VOID") with the colour that marks it. */
record StatusMark(String label, Ink ink) {

    static final String VOID = "VOID";

    static StatusMark of(String status) {
        String label = status == null ? "" : status.trim().toUpperCase(Locale.ROOT);
        return switch (label) {
            case "PAID" -> new StatusMark(label, Ink.PAID);
            case VOID -> new StatusMark(label, Ink.VOID);
            default -> new StatusMark(label, Ink.ACCENT);
        };
    }

    boolean isVoid() {
        return VOID.equals(label);
    }
}
