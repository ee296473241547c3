package dev.tally.integrations.stripe.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Stripe's own example objects (fixtures3, 2026-08), the seeds of every object the fake answers with:
 * those the fake seeds, cut from the published file by {@code integrations/scripts/stripe_fake_subset.py}.
 */
final class StripeFixtures {

    /** On the classpath, next to {@link StripeSpec#RESOURCE}. */
    static final String RESOURCE = "/stripe/stripe-fixtures3.2026-08-21.f6c2a48f.subset.json";

    private static volatile JsonNode resources;

    private StripeFixtures() {
    }

    /** A fresh copy of the example {@code resource} (e.g. "invoice"), to fill in. */
    static ObjectNode seed(String resource) {
        JsonNode example = resources().path(resource);
        if (!example.isObject()) {
            throw new IllegalArgumentException("no Stripe fixture for " + resource + " in " + RESOURCE);
        }
        return example.deepCopy();
    }

    private static JsonNode resources() {
        JsonNode loaded = resources;
        if (loaded == null) {
            synchronized (StripeFixtures.class) {
                if (resources == null) {
                    try (InputStream document = StripeResources.open(RESOURCE)) {
                        resources = new ObjectMapper().readTree(document).path("resources");
                    } catch (IOException unreadable) {
                        throw new UncheckedIOException("cannot read the Stripe fixtures " + RESOURCE, unreadable);
                    }
                }
                loaded = resources;
            }
        }
        return loaded;
    }
}
