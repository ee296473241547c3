package dev.tally.integrations.orb;

/**
 * Orb could not be reached or kept answering with a transient status (408, 409, 429, 5xx) after
 * the client's bounded retries. Nothing is wrong with the request: the processor rolls its batch
 * back and tries again later.
 */
public final class OrbUnavailable extends RuntimeException {

    public OrbUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
