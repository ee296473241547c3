package dev.tally.integrations.stripe.fake;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Goal: the fake's cut of Stripe's spec and fixtures comes from the classpath and is as strict as the published spec.
class StripeSpecTest {

    @Test
    void canFindTheSpecAndTheFixturesOnTheClasspath() {
        for (String resource : new String[] {StripeSpec.RESOURCE, StripeFixtures.RESOURCE}) {
            URL found = StripeSpecTest.class.getResource(resource);
            assertThat(found).as(resource).isNotNull();
            assertThat(found.getPath()).as("read from the build's own test resources").contains("/test-classes/stripe/");
        }
        assertThat(StripeFixtures.seed("invoice").path("object").asText()).isEqualTo("invoice");
    }

    @Test
    void canAcceptTheParametersStripeKnows() {
        StripeSpec spec = StripeSpec.shared();

        assertThat(spec.violation("POST", "/v1/customers", Set.of("name", "email", "metadata"))).isEmpty();
        assertThat(spec.violation("GET", "/v1/invoices/in_1", Set.of("expand"))).isEmpty();
        assertThat(spec.violation("POST", "/v1/invoices/in_1/pay", Set.of())).isEmpty();
    }

    @Test
    void cannotSendAParameterAPathOrAMethodStripeDoesNotKnow() {
        StripeSpec spec = StripeSpec.shared();

        assertThat(spec.violation("POST", "/v1/customers", Set.of("name", "not_a_stripe_field")))
                .hasValueSatisfying(v -> assertThat(v).contains("unknown parameters [not_a_stripe_field]"));
        // A parameter of another operation is unknown here, as in the published spec.
        assertThat(spec.violation("GET", "/v1/invoices", Set.of("charge"))).isPresent();
        assertThat(spec.violation("POST", "/v1/not_a_resource", Set.of())).hasValueSatisfying(v -> assertThat(v)
                .startsWith("no path /v1/not_a_resource"));
        assertThat(spec.violation("DELETE", "/v1/invoices/in_1/pay", Set.of())).isPresent();
    }

    @Test
    void cannotSeedAnObjectTheFixturesDoNotHold() {
        assertThatThrownBy(() -> StripeFixtures.seed("not_a_stripe_object")).isInstanceOf(IllegalArgumentException.class);
    }
}
