package dev.tally.integrations.orb.fake;

/** A fault the fake answers one request with, before looking at it. */
public sealed interface FakeOrbFault {

    /** 429 Too many requests, with {@code Retry-After} in whole seconds (or none if negative). */
    record TooManyRequests(long retryAfterSeconds) implements FakeOrbFault {
    }

    /** 500 with {@code Transient-Error: true}: safe to retry. */
    record ServerError() implements FakeOrbFault {
    }

    /**
     * Holds the request back until the client has sent it again (same {@code Idempotency-Key}) and the
     * fake has handled that resend (not merely met it with another fault), then handles it normally:
     * Orb does the work after the client gave up on it, whatever the client's timeout, and after the
     * resend, as when an answer is lost on the way.
     */
    record Late() implements FakeOrbFault {
    }

    /** Orb refuses the request with a 4xx problem of its own (a rule the fake does not model). */
    record Refused(int status, String slug, String detail) implements FakeOrbFault {
    }

    /** Closes the connection without any answer: the client sees the stream end, as on a reset. */
    record ConnectionReset() implements FakeOrbFault {
    }
}
