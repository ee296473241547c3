package dev.tally.replay.connection;

import picocli.CommandLine.Option;

/**
 * Where the ledger's PostgreSQL is: flags, else the server's environment variables, else the
 * embedded default the server starts (127.0.0.1:5433, database tally, superuser postgres without
 * a password). The password default is not shown in help, so it never lands in a terminal log.
 */
public final class DatabaseOptions {

    static final String EMBEDDED_DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5433/tally";
    static final String EMBEDDED_SUPERUSER = "postgres";

    @Option(names = "--db-url", paramLabel = "JDBC_URL",
            defaultValue = "${env:TALLY_DB_URL:-" + EMBEDDED_DEFAULT_URL + "}",
            description = "JDBC URL of the ledger database (env TALLY_DB_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:TALLY_DB_USER:-" + EMBEDDED_SUPERUSER + "}",
            description = "Database user (env TALLY_DB_USER; default ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:TALLY_DB_PASSWORD:-}",
            description = "Database password (env TALLY_DB_PASSWORD; default none).")
    String password;

    public LedgerDatabase database() {
        return new LedgerDatabase(url, user, password);
    }
}
