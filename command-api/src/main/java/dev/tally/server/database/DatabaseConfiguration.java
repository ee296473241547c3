package dev.tally.server.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The two connection pools: the application's (its own role, no right to change events) and
 * a small one for Flyway as the schema owner. With no {@code TALLY_DB_URL}, both point at the
 * embedded PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    /** Where the server connects; resolved once from the properties and the embedded default. */
    public record Endpoint(String url, String user, String password, String migrationUser, String migrationPassword) {
    }

    @Bean(destroyMethod = "close")
    EmbeddedDatabaseHolder embeddedDatabase(DatabaseProperties properties) {
        return properties.isEmbedded()
                ? new EmbeddedDatabaseHolder(EmbeddedDatabase.start(properties.dataDirOrDefault(),
                properties.embeddedPortOrDefault()))
                : new EmbeddedDatabaseHolder(null);
    }

    @Bean
    Endpoint databaseEndpoint(DatabaseProperties properties, EmbeddedDatabaseHolder embedded) {
        if (embedded.database() != null) {
            return new Endpoint(embedded.database().jdbcUrl(), EmbeddedDatabase.APPLICATION_ROLE,
                    EmbeddedDatabase.APPLICATION_ROLE, EmbeddedDatabase.SUPERUSER, "");
        }
        String migrationUser = properties.migrationUser() == null ? properties.user() : properties.migrationUser();
        String migrationPassword = properties.migrationUser() == null ? properties.password()
                : properties.migrationPassword();
        return new Endpoint(properties.url(), properties.user(), properties.password(), migrationUser, migrationPassword);
    }

    @Bean(destroyMethod = "close")
    @Primary
    DataSource dataSource(Endpoint endpoint, DatabaseProperties properties) {
        return pool("tally-app", endpoint.url(), endpoint.user(), endpoint.password(), properties.poolSizeOrDefault());
    }

    @Bean(destroyMethod = "close")
    @FlywayDataSource
    @Qualifier("migrationDataSource")
    DataSource migrationDataSource(Endpoint endpoint) {
        return pool("tally-migration", endpoint.url(), endpoint.migrationUser(), endpoint.migrationPassword(), 2);
    }

    @Bean
    FlywayMigrationStrategy migrateThenGrant(Endpoint endpoint, @Qualifier("migrationDataSource") DataSource migration) {
        return flyway -> {
            flyway.migrate();
            if (endpoint.user() != null && !endpoint.user().equals(endpoint.migrationUser())) {
                ApplicationRoleGrants.apply(migration, endpoint.user());
            }
        };
    }

    private static HikariDataSource pool(String name, String url, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(10_000);
        // Axon writes serialized JSON as strings; untyped strings let PostgreSQL store them in json columns.
        config.addDataSourceProperty("stringtype", "unspecified");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    /** Holds the embedded database when there is one, so that it is closed after the pools. */
    public record EmbeddedDatabaseHolder(EmbeddedDatabase database) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (database != null) {
                database.close();
            }
        }
    }
}
