package dev.tally.projections.support;

import java.sql.Timestamp;
import java.time.Instant;

/** Instants to and from JDBC, kept in one place so every projection stores time alike (UTC). */
public final class Timestamps {

    private Timestamps() {
    }

    public static Timestamp toSql(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static Instant fromSql(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
