package dev.tally.replay.diff;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A table's columns in declaration order and its primary key columns in key order, from the catalog. */
record TableShape(String schema, String table, List<String> columns, List<String> primaryKey) {

    static List<String> tables(Connection connection, String schema) throws SQLException {
        return strings(connection, "SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY tablename", schema,
                null);
    }

    static TableShape of(Connection connection, String schema, String table) throws SQLException {
        List<String> columns = strings(connection, """
                SELECT a.attname FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""", schema, table);
        List<String> primaryKey = strings(connection, """
                SELECT a.attname FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinal) ON true
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary
                ORDER BY k.ordinal""", schema, table);
        return new TableShape(schema, table, columns, primaryKey);
    }

    private static List<String> strings(Connection connection, String sql, String schema, String table)
            throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            if (table != null) {
                statement.setString(2, table);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }
}
