package dev.tally.replay.rerate;

/**
 * A rerate that cannot be answered as asked (unknown account, no invoice for the period, unknown
 * plan or version, no database): the user's to fix, so the command exits 2 with this message.
 */
final class RerateRefused extends RuntimeException {

    RerateRefused(String message) {
        super(message);
    }

    RerateRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
