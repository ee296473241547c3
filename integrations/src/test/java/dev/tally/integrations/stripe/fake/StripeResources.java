package dev.tally.integrations.stripe.fake;

import java.io.InputStream;

/** Opens the fake's cut of Stripe's published files, which live on the test classpath only. */
final class StripeResources {

    private StripeResources() {
    }

    static InputStream open(String resource) {
        InputStream stream = StripeResources.class.getResourceAsStream(resource);
        if (stream == null) {
            // Only a build that left out this module's test resources gets here: say where they come from.
            throw new IllegalStateException(resource + " is not on the classpath; it is made by"
                    + " integrations/scripts/stripe_fake_subset.py into integrations/src/test/resources");
        }
        return stream;
    }
}
