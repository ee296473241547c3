package dev.tally.server.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * After the migrations, gives the application's role what it needs and nothing more: it may
 * append and read events but not change them (the trigger refuses that to anyone too).
 * Applied at every start so that tables added by later migrations are covered.
 */
final class ApplicationRoleGrants {

    private ApplicationRoleGrants() {
    }

    static void apply(DataSource migrationDataSource, String applicationRole) {
        String role = '"' + applicationRole.replace("\"", "\"\"") + '"';
        try (Connection connection = migrationDataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("GRANT USAGE ON SCHEMA events, axon, api, projections TO " + role);
            statement.execute("GRANT SELECT, INSERT ON events.domain_event_entry TO " + role);
            statement.execute("REVOKE UPDATE, DELETE, TRUNCATE ON events.domain_event_entry FROM " + role);
            statement.execute("GRANT SELECT ON events.usage_event TO " + role);
            statement.execute("GRANT SELECT, INSERT, DELETE ON events.snapshot_event_entry TO " + role);
            statement.execute("GRANT SELECT, INSERT, UPDATE ON events.stream_head, events.stream_head_progress TO " + role);
            statement.execute("GRANT EXECUTE ON FUNCTION events.settled_position() TO " + role);
            statement.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA events, axon, api, projections TO " + role);
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA axon, api, projections TO " + role);
            // The warehouse export's exported-event ledger and refused rows.
            statement.execute("GRANT USAGE ON SCHEMA warehouse TO " + role);
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA warehouse TO " + role);
            // What the integrations remember of Orb and Stripe (webhook inbox, credit blocks, scheduled deadlines).
            statement.execute("GRANT USAGE ON SCHEMA integrations TO " + role);
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA integrations TO " + role);
            statement.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA integrations TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot grant the application role its privileges", e);
        }
    }
}
