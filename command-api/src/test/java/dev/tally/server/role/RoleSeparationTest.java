package dev.tally.server.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.projections.balance.BalanceProjection;
import dev.tally.server.TallyServer;
import dev.tally.server.scheduling.CheckpointScheduler;
import dev.tally.server.scheduling.CreditExpiryScheduler;
import dev.tally.server.scheduling.InvoiceScheduler;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.InProcessServer;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.MigrationScripts;
import dev.tally.server.testing.ServerTest;
import dev.tally.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

// Goal: each role runs only its part (api: /v1 without projection tokens or schedulers; projections: the
// processor without /v1), read-your-writes works across the two processes, and migrate migrates and stops.
class RoleSeparationTest {

    private static final String PROJECTION_PROCESSOR = "ledger-projections";
    /** The projection processor's segments (ProjectionProcessorConfiguration): one token each. */
    private static final int PROJECTION_SEGMENTS = 2;

    private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));

    @Test
    void anApiServerAnswersTheApiButClaimsNoProjectionTokenAndRunsNoScheduler() throws Exception {
        TestDatabase.Endpoint database = TestDatabase.fresh("roles_split");
        try (InProcessServer api = InProcessServer.start(database, clock, Map.of("tally.roles", "api"))) {
            assertThat(api.has(BalanceProjection.class)).as("projection handlers").isFalse();
            assertThat(api.has(InvoiceScheduler.class) || api.has(CreditExpiryScheduler.class)
                    || api.has(CheckpointScheduler.class)).as("schedulers").isFalse();

            LedgerScenario ledger = LedgerScenario.open(api.api(), ServerTest.ADMIN_KEY);
            long position = ledger.usage("u1", "gpu_seconds", "1000", LedgerScenario.recently()).position();
            // No processor, so no token can ever appear: checked at the source rather than by waiting to see none.
            assertThat(api.bean(EventProcessingConfiguration.class).eventProcessor(PROJECTION_PROCESSOR))
                    .as("the projection processor").isEmpty();
            assertThat(tokenCount(database)).as("projection tokens").isZero();
            assertThat(ledger.balance(position).code()).as("no process projects yet").isEqualTo("position_not_reached");

            try (InProcessServer projections = InProcessServer.start(database, clock,
                    Map.of("tally.roles", "projections"))) {
                assertThat(projections.has(BalanceProjection.class)).isTrue();
                assertThat(projections.api().get("/v1/accounts/" + ledger.accountId, ServerTest.ADMIN_KEY).status()).isEqualTo(404);

                Api.Response balance = ledger.balance(position);
                assertThat(balance.status()).as(balance.raw().body()).isEqualTo(200);
                assertThat(balance.body().get("unbilled").asText()).isEqualTo("2.00");
                assertThat(tokenCount(database)).as("one token per segment of the projections server")
                        .isEqualTo(PROJECTION_SEGMENTS);
            }
        }
    }

    @Test
    void aProjectionsServerServesNoApiButKeepsItsHealthEndpoints() {
        TestDatabase.Endpoint database = TestDatabase.fresh("roles_projections");
        try (InProcessServer projections = InProcessServer.start(database, clock,
                Map.of("tally.roles", "projections"))) {
            Api api = projections.api();
            assertThat(api.get("/v1/accounts/anyone", ServerTest.ADMIN_KEY).status()).isEqualTo(404);
            assertThat(api.post("/v1/usage", ServerTest.ADMIN_KEY, "{\"events\":[]}").status()).isEqualTo(404);
            assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
            assertThat(projections.has(InvoiceScheduler.class)).isFalse();
        }
    }

    @Test
    void migrateAppliesTheMigrationsWithoutAWebServerAndRunsNothingElse() throws Exception {
        TestDatabase.Endpoint database = TestDatabase.fresh("roles_migrate");
        try (ConfigurableApplicationContext context = TallyServer.application().run(
                "--tally.roles=migrate",
                "--tally.db.url=" + database.url(),
                "--tally.db.user=" + database.appUser(),
                "--tally.db.password=" + database.appPassword(),
                "--tally.db.migration-user=" + database.ownerUser(),
                "--tally.db.migration-password=" + database.ownerPassword())) {
            assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
            assertThat(context.getBean(TallyRoles.class).migrateOnly()).isTrue();
            assertThat(context.getBeanNamesForType(BalanceProjection.class)).isEmpty();
            assertThat(context.getBeanNamesForType(InvoiceScheduler.class)).isEmpty();
        }
        assertThat(strings(database, "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                .as("every migration on the classpath").containsExactlyInAnyOrderElementsOf(
                        MigrationScripts.byVersion().keySet());
        assertThat(strings(database, "SELECT count(*) FROM api.api_key")).containsExactly("0");
        assertThat(tokenCount(database)).isZero();
    }

    @Test
    void cannotStartWithAnUnknownRole() {
        TestDatabase.Endpoint database = TestDatabase.fresh("roles_unknown");
        assertThatThrownBy(() -> InProcessServer.start(database, clock, Map.of("tally.roles", "api,reporting")))
                .hasStackTraceContaining("unknown roles [reporting]");
    }

    private static int tokenCount(TestDatabase.Endpoint database) {
        return Integer.parseInt(strings(database,
                "SELECT count(*) FROM axon.token_entry WHERE processorName = '" + PROJECTION_PROCESSOR + "'").get(0));
    }

    private static List<String> strings(TestDatabase.Endpoint database, String sql) {
        try (Connection connection = database.ownerConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
