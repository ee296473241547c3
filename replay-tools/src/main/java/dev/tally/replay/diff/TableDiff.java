package dev.tally.replay.diff;

import static dev.tally.replay.diff.Identifiers.qualified;
import static dev.tally.replay.diff.Identifiers.quote;

import dev.tally.replay.connection.LedgerDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Compares one table of two schemas row by row on the server: a full outer join on the primary
 * key keeps only rows missing on one side or differing in a column, and only those reach the
 * client, through a cursor. Values are compared as text, so 1.50 and 1.5 differ: a rebuild must
 * reproduce every byte. A table without a primary key is compared as a multiset of whole rows.
 */
final class TableDiff {

    private final String liveSchema;
    private final String shadowSchema;
    private final String table;
    private final List<String> keyColumns;
    private final List<String> valueColumns;

    TableDiff(String liveSchema, String shadowSchema, String table, List<String> keyColumns, List<String> valueColumns) {
        this.liveSchema = liveSchema;
        this.shadowSchema = shadowSchema;
        this.table = table;
        this.keyColumns = keyColumns;
        this.valueColumns = valueColumns;
    }

    void compare(Connection connection, Consumer<Difference> report) throws SQLException {
        if (keyColumns.isEmpty()) {
            compareAsMultisets(connection, report);
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(joinSql())) {
            statement.setFetchSize(LedgerDatabase.FETCH_SIZE_ROWS);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    report(rows, report);
                }
            }
        }
    }

    private void report(ResultSet row, Consumer<Difference> report) throws SQLException {
        boolean inLive = row.getBoolean(1);
        boolean inShadow = row.getBoolean(2);
        List<String> key = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            key.add(keyColumns.get(i) + "=" + row.getString(3 + i));
        }
        String keyText = String.join(", ", key);
        if (!inShadow) {
            report.accept(Difference.onlyIn("live", table, keyText));
        } else if (!inLive) {
            report.accept(Difference.onlyIn("shadow", table, keyText));
        } else {
            int first = 3 + keyColumns.size();
            for (int i = 0; i < valueColumns.size(); i++) {
                String live = row.getString(first + 2 * i);
                String shadow = row.getString(first + 2 * i + 1);
                if (live == null ? shadow != null : !live.equals(shadow)) {
                    report.accept(Difference.column(table, keyText, valueColumns.get(i), live, shadow));
                }
            }
        }
    }

    private String joinSql() {
        String firstKey = quote(keyColumns.get(0));
        String keys = keyColumns.stream().map(column -> "coalesce(l.%1$s, s.%1$s)::text".formatted(quote(column)))
                .collect(Collectors.joining(", "));
        String values = valueColumns.stream().map(column -> "l.%1$s::text, s.%1$s::text".formatted(quote(column)))
                .collect(Collectors.joining(", "));
        String join = keyColumns.stream().map(column -> "l.%1$s = s.%1$s".formatted(quote(column)))
                .collect(Collectors.joining(" AND "));
        String differs = valueColumns.isEmpty() ? "false"
                : "ROW(%s) IS DISTINCT FROM ROW(%s)".formatted(
                        valueColumns.stream().map(column -> "l." + quote(column) + "::text").collect(Collectors.joining(", ")),
                        valueColumns.stream().map(column -> "s." + quote(column) + "::text").collect(Collectors.joining(", ")));
        String order = keyColumns.stream().map(column -> "coalesce(l.%1$s, s.%1$s)".formatted(quote(column)))
                .collect(Collectors.joining(", "));
        return "SELECT l.%1$s IS NOT NULL, s.%1$s IS NOT NULL, %2$s%3$s FROM %4$s l FULL OUTER JOIN %5$s s ON %6$s"
                .formatted(firstKey, keys, values.isEmpty() ? "" : ", " + values, qualified(liveSchema, table),
                        qualified(shadowSchema, table), join)
                + " WHERE l.%1$s IS NULL OR s.%1$s IS NULL OR %2$s ORDER BY %3$s".formatted(firstKey, differs, order);
    }

    private void compareAsMultisets(Connection connection, Consumer<Difference> report) throws SQLException {
        String columns = valueColumns.stream().map(column -> quote(column) + "::text").collect(Collectors.joining(", "));
        String row = valueColumns.stream().map(column -> "coalesce(" + quote(column) + "::text, 'null')")
                .collect(Collectors.joining(" || ', ' || "));
        onlyIn(connection, "live", "SELECT " + row + " FROM (SELECT " + columns + " FROM " + qualified(liveSchema, table)
                + " EXCEPT ALL SELECT " + columns + " FROM " + qualified(shadowSchema, table) + ") d", report);
        onlyIn(connection, "shadow", "SELECT " + row + " FROM (SELECT " + columns + " FROM "
                + qualified(shadowSchema, table) + " EXCEPT ALL SELECT " + columns + " FROM "
                + qualified(liveSchema, table) + ") d", report);
    }

    private void onlyIn(Connection connection, String side, String sql, Consumer<Difference> report)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(LedgerDatabase.FETCH_SIZE_ROWS);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    report.accept(Difference.onlyIn(side, table, "row (" + rows.getString(1) + ")"));
                }
            }
        }
    }
}
