package dev.tally.integrations.orb.fake;

import java.time.Duration;

/** A fault the fake answers one request with, before looking at it. */
public sealed interface FakeOrbFault {

    /** 429 Too many requests, with {@code Retry-After} in whole seconds (or none if negative). */
    record TooManyRequests(long retryAfterSeconds) implements FakeOrbFault {
    }

    /** 500 with {@code Transient-Error: true}: safe to retry. */
    record ServerError() implements FakeOrbFault {
    }

    /** Holds the answer back for {@code delay}, then handles the request normally (too late for a short timeout). */
    record Slow(Duration delay) implements FakeOrbFault {
    }

    /** Orb refuses the request with a 4xx problem of its own (a rule the fake does not model). */
    record Refused(int status, String slug, String detail) implements FakeOrbFault {
    }

    /** Closes the connection without any answer: the client sees the stream end, as on a reset. */
    record ConnectionReset() implements FakeOrbFault {
    }
}
