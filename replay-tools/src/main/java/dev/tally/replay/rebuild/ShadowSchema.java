package dev.tally.replay.rebuild;

import dev.tally.projections.support.ProjectionSchema;
import dev.tally.replay.ToolFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The schema a rebuild writes into: dropped and created again with an empty, unlogged copy of every
 * live projection table ({@code LIKE ... INCLUDING ALL}: columns, defaults, checks, indexes; foreign
 * keys are not copied, which changes nothing for a rebuild that inserts parents first). A schema
 * is only dropped when it is empty or was made by this tool, so a typo cannot drop real data.
 */
final class ShadowSchema {

    /** Marks a schema as a rebuild's, so that the next rebuild may drop it. */
    static final String MARK = "tally-replay shadow projections";
    private static final Set<String> NEVER_A_SHADOW = Set.of("public", "events", "axon", "api", "information_schema");

    private ShadowSchema() {
    }

    /** Refuses names that are the live schema or one of the ledger's own. */
    static void requireSafeName(ProjectionSchema shadow, ProjectionSchema live) {
        if (shadow.equals(live) || NEVER_A_SHADOW.contains(shadow.name()) || shadow.name().startsWith("pg_")) {
            throw new ToolFailure("refusing to rebuild into schema " + shadow.name() + ": it is not a shadow schema");
        }
    }

    /** Recreates {@code shadow} as an empty copy of {@code live}'s tables; returns their names. */
    static List<String> recreate(Connection connection, ProjectionSchema live, ProjectionSchema shadow)
            throws SQLException {
        requireSafeName(shadow, live);
        List<String> tables = tablesOf(connection, live.name());
        if (tables.isEmpty()) {
            throw new ToolFailure("schema " + live.name() + " has no tables: nothing to rebuild");
        }
        requireDroppable(connection, shadow.name());
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + shadow.name() + " CASCADE");
            statement.execute("CREATE SCHEMA " + shadow.name());
            statement.execute("COMMENT ON SCHEMA " + shadow.name() + " IS '" + MARK + "'");
            for (String table : tables) {
                // Unlogged: a shadow is rebuilt, compared and thrown away, so it need not survive a crash,
                // and skipping the write-ahead log is most of what a rebuild costs PostgreSQL. No autovacuum
                // while it loads: the rebuild's open snapshot keeps every row version it could remove.
                statement.execute("CREATE UNLOGGED TABLE " + shadow.table(table) + " (LIKE " + live.table(table)
                        + " INCLUDING ALL) WITH (autovacuum_enabled = false)");
            }
        }
        return tables;
    }

    /** Hands the loaded tables back to autovacuum, which can now clean up after the load. */
    static void loaded(Connection connection, ProjectionSchema shadow, List<String> tables) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute("ALTER TABLE " + shadow.table(table) + " RESET (autovacuum_enabled)");
            }
        }
    }

    static List<String> tablesOf(Connection connection, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY tablename")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    private static void requireDroppable(Connection connection, String schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT obj_description(n.oid, 'pg_namespace'),
                       (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid)
                FROM pg_namespace n WHERE n.nspname = ?""")) {
            statement.setString(1, schema);
            try (ResultSet row = statement.executeQuery()) {
                if (row.next() && !MARK.equals(row.getString(1)) && row.getLong(2) > 0) {
                    throw new ToolFailure("schema " + schema + " exists and was not made by a rebuild; drop it"
                            + " yourself or choose another name");
                }
            }
        }
    }
}
