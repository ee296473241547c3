package dev.tally.projections.support;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from JDBC, kept in one place so every projection stores time alike (UTC). They
 * travel as {@code java.time} values: {@code java.sql.Timestamp} converts through the Julian-
 * Gregorian hybrid calendar and moved dates before 1582 by days (0001-04-01 was stored as
 * 0001-04-03).
 */
public final class Timestamps {

    private Timestamps() {
    }

    public static OffsetDateTime toSql(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant fromSql(ResultSet row, int column) throws SQLException {
        OffsetDateTime stored = row.getObject(column, OffsetDateTime.class);
        return stored == null ? null : stored.toInstant();
    }
}
