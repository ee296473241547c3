package dev.tally.server.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the ledger's PostgreSQL is. With no {@code url} the server starts an embedded PostgreSQL
 * whose data lives under {@code dataDir}. {@code migrationUser} owns the schema (Flyway); the
 * application connects as {@code user}, which may not change events.
 */
@ConfigurationProperties(prefix = "tally.db")
public record DatabaseProperties(String url, String user, String password, String migrationUser,
                                 String migrationPassword, Path dataDir, Integer embeddedPort, Integer poolSize) {

    public static final int DEFAULT_EMBEDDED_PORT = 5433;
    public static final int DEFAULT_POOL_SIZE = 16;

    public boolean isEmbedded() {
        return url == null || url.isBlank();
    }

    public Path dataDirOrDefault() {
        return dataDir == null ? Path.of(".tally") : dataDir;
    }

    public int embeddedPortOrDefault() {
        return embeddedPort == null ? DEFAULT_EMBEDDED_PORT : embeddedPort;
    }

    public int poolSizeOrDefault() {
        return poolSize == null ? DEFAULT_POOL_SIZE : poolSize;
    }
}
