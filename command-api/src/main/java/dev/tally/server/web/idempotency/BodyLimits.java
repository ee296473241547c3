package dev.tally.server.web.idempotency;

/** The named limits of request bodies (TigerBeetle's rule: every input has a maximum). */
public final class BodyLimits {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private BodyLimits() {
    }
}
