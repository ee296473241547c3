package dev.tally.projections.support;

import java.util.regex.Pattern;

/**
 * The schema a projection writes its tables in: {@code projections} for the live read models, a
 * shadow schema when the replay tools rebuild them beside the live ones for comparison. The name
 * is part of SQL text, so only plain lower-case identifiers are accepted.
 */
public record ProjectionSchema(String name) {

    /** PostgreSQL's identifier limit is 63 bytes; unquoted identifiers fold to lower case. */
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Declared after the pattern it is checked against: static fields initialize in order. */
    public static final ProjectionSchema LIVE = new ProjectionSchema("projections");

    public ProjectionSchema {
        if (name == null || !PLAIN_IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case schema name: " + name);
        }
    }

    /** The schema-qualified name of {@code table}. */
    public String table(String table) {
        return name + "." + table;
    }

    /** {@code sql} with every {@code %1$s} replaced by the schema name. */
    public String sql(String sql) {
        return sql.formatted(name);
    }
}
