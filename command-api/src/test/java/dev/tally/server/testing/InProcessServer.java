package dev.tally.server.testing;

import dev.tally.server.TallyServer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole server started inside the test JVM on its own port, with a clock the test moves: the
 * way to run the schedulers across period ends, restarts and races without waiting a month.
 * Several may run at once against one database, like servers sharing a PostgreSQL.
 */
public final class InProcessServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final Api api;

    private InProcessServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.api = new Api("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    public static InProcessServer start(TestDatabase.Endpoint database, Clock clock, Map<String, String> settings) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("tally.db.url", database.url());
        properties.put("tally.db.user", database.appUser());
        properties.put("tally.db.password", database.appPassword());
        properties.put("tally.db.migration-user", database.ownerUser());
        properties.put("tally.db.migration-password", database.ownerPassword());
        properties.put("tally.bootstrap-admin-key", ServerTest.ADMIN_KEY);
        // Off unless a test turns it on, so that servers do not write warehouse files into the build's directory.
        properties.put("tally.warehouse.enabled", "false");
        properties.putAll(settings);
        // As command-line arguments: they outrank application.yml, where default properties would not.
        String[] arguments = properties.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TallyServer.class)
                .initializers(application -> application.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments);
        return new InProcessServer(context);
    }

    public Api api() {
        return api;
    }

    /** Whether this server has a bean of {@code type}: how a test sees which roles' parts it runs. */
    public boolean has(Class<?> type) {
        return context.getBeanNamesForType(type).length > 0;
    }

    /** A bean of the running server, for tests that drive its processors directly. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
