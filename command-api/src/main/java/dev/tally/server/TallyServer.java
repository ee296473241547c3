package dev.tally.server;

import dev.tally.server.role.MigrateOnlyWithoutWebServer;
import dev.tally.server.role.TallyRoles;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Starts the ledger: HTTP API, Axon command handling, projections and schedulers, or the part of
 * them that {@code TALLY_ROLES} names. With {@code TALLY_ROLES=migrate} it migrates the database
 * (Flyway runs first in every start) and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TallyServer {

    public static void main(String[] args) {
        // The ledger runs on closed networks; Axon's update check would only log failures.
        System.setProperty("axoniq.update-checker.disabled", "true");
        ConfigurableApplicationContext context = application().run(args);
        if (context.getBean(TallyRoles.class).migrateOnly()) {
            // The context has started, so the migrations and grants are applied; the exit status tells the Job.
            System.exit(SpringApplication.exit(context));
        }
    }

    /** The application as {@link #main} runs it; tests start it the same way. */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(TallyServer.class);
        application.addListeners(new MigrateOnlyWithoutWebServer());
        return application;
    }
}
