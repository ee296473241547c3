package dev.tally.replay.diff;

/** SQL identifiers from the catalog, quoted so that any name PostgreSQL allows reads back as itself. */
final class Identifiers {

    private Identifiers() {
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }
}
