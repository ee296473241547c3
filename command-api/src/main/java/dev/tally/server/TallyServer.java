package dev.tally.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Starts the whole ledger: HTTP API, Axon command handling, projections and schedulers. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TallyServer {

    public static void main(String[] args) {
        // The ledger runs on closed networks; Axon's update check would only log failures.
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(TallyServer.class, args);
    }
}
