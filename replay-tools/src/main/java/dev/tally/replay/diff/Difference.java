package dev.tally.replay.diff;

/** One reported difference, as a line of the diff's output. */
record Difference(String line) {

    static Difference column(String table, String key, String column, String live, String shadow) {
        return new Difference("%s, %s, %s: live=%s, shadow=%s".formatted(table, key, column, live, shadow));
    }

    static Difference onlyIn(String side, String table, String key) {
        return new Difference("%s, %s: only in %s".formatted(table, key, side));
    }

    static Difference table(String side, String table) {
        return new Difference("%s: table only in %s".formatted(table, side));
    }

    static Difference missingColumn(String side, String table, String column) {
        return new Difference("%s, column %s: only in %s".formatted(table, column, side));
    }
}
