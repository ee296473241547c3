package dev.tally.server.testing;

import dev.tally.server.TallyServer;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: the whole server on a random port against the test PostgreSQL,
 * connecting as the application's own role, on a {@link TestClock} the tests may stop and move.
 * Every test class shares one server (Spring's context cache), so tests use their own account ids,
 * and the clock is released after each test.
 */
@SpringBootTest(classes = TallyServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = ServerTest.ControllableClock.class)
public abstract class ServerTest {

    public static final String ADMIN_KEY = "test-admin-key";

    @Autowired
    private Environment environment;

    @Autowired
    private Clock clock;

    private Api api;

    /**
     * Gives the server a {@link TestClock} as its "clock" bean before any bean that takes a Clock is
     * made, as {@link InProcessServer} does: the server's own clock backs off when one is there.
     */
    static final class ControllableClock implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getBeanFactory().registerSingleton("clock", new TestClock());
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Endpoint database = TestDatabase.get();
        registry.add("tally.db.url", database::url);
        registry.add("tally.db.user", database::appUser);
        registry.add("tally.db.password", database::appPassword);
        registry.add("tally.db.migration-user", database::ownerUser);
        registry.add("tally.db.migration-password", database::ownerPassword);
        registry.add("tally.bootstrap-admin-key", () -> ADMIN_KEY);
        registry.add("tally.expiry.interval", () -> "PT0.5S");
        // Test accounts are billed from past periods; invoices are closed by the tests that want them.
        registry.add("tally.invoice.scheduler-enabled", () -> "false");
        // No warehouse files from every end-to-end test; the warehouse tests start servers that export.
        registry.add("tally.warehouse.enabled", () -> "false");
    }

    @AfterEach
    void releaseTheClock() {
        clock().release();
    }

    protected Api api() {
        if (api == null) {
            api = new Api("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        }
        return api;
    }

    /** The server's clock: every instant a test computes ("now", "this month") comes from it. */
    protected TestClock clock() {
        return (TestClock) clock;
    }
}
