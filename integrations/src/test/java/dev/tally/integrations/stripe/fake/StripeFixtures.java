package dev.tally.integrations.stripe.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stripe's own example objects (fixtures3, 2026-08), the seeds of every object the fake answers with. */
final class StripeFixtures {

    static final Path DEFAULT_LOCATION = Path.of("/work/shared/specs/stripe-fixtures3.2026-08-21.f6c2a48f.json");

    private static volatile JsonNode resources;

    private StripeFixtures() {
    }

    /** A fresh copy of the example {@code resource} (e.g. "invoice"), to fill in. */
    static ObjectNode seed(String resource) {
        JsonNode example = resources().path(resource);
        if (!example.isObject()) {
            throw new IllegalArgumentException("no Stripe fixture for " + resource);
        }
        return example.deepCopy();
    }

    private static JsonNode resources() {
        JsonNode loaded = resources;
        if (loaded == null) {
            synchronized (StripeFixtures.class) {
                if (resources == null) {
                    try {
                        Path file = Path.of(System.getProperty("tally.stripe.fixtures", DEFAULT_LOCATION.toString()));
                        resources = new ObjectMapper().readTree(Files.newInputStream(file)).path("resources");
                    } catch (IOException unreadable) {
                        throw new UncheckedIOException(unreadable);
                    }
                }
                loaded = resources;
            }
        }
        return loaded;
    }
}
