package dev.tally.integrations.orb.webhook;

/** The delivery is not provably from Orb (bad, missing or stale signature); it must change nothing. */
public class OrbSignatureException extends Exception {

    public OrbSignatureException(String message) {
        super(message);
    }
}
