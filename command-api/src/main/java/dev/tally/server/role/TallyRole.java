package dev.tally.server.role;

import java.util.Locale;

/** One part of the server a process may run; spelled in lower case in {@code TALLY_ROLES}. */
public enum TallyRole {
    /** The HTTP API under {@code /v1}. */
    API,
    /** The projection processor (claims the projection's tokens). */
    PROJECTIONS,
    /** Outbound integrations: the warehouse export today, Orb and Stripe synchronisation next. */
    INTEGRATIONS,
    /** Credit expiry, invoice closing and checkpoints. */
    SCHEDULER,
    /** Apply the database migrations and exit; never combined with another role. */
    MIGRATE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
