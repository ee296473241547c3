package dev.tally.integrations.orb.webhook;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Goal: Orb's signature scheme as its SDKs verify it, pinned by Orb's own test vector and the ±5 min window.
class OrbWebhookVerifierTest {

    private static final String SECRET = "c-UGKYdnhHh436B_sMouYAPUvXyWpzOdunZBV5dFSD8";
    private static final String TIMESTAMP = "2024-03-27T15:42:29.551";
    private static final String BODY = "{\"id\": \"o4mmewpfNNTnjfZc\", \"created_at\": \"2024-03-27T15:42:29+00:00\", "
            + "\"type\": \"resource_event.test\", \"properties\": {\"message\": \"A test webhook from Orb. Happy testing!\"}}";
    private static final String SIGNATURE = "v1=9d25de966891ab0bc18754faf8d83d0980b44ae330fcc130b41a6cf3daf1f391";
    private static final Instant SENT = Instant.parse("2024-03-27T15:42:29.551Z");

    private static OrbWebhookVerifier at(Instant now) {
        return new OrbWebhookVerifier(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void canVerifyOrbsTestVector() {
        assertThatCode(() -> at(SENT).verify(BODY, TIMESTAMP, SIGNATURE)).doesNotThrowAnyException();
        assertThatCode(() -> at(SENT).verify(BODY, TIMESTAMP, "v0=abc " + SIGNATURE + " v1=00"))
                .doesNotThrowAnyException();
    }

    @Test
    void canSignLikeOrb() {
        org.assertj.core.api.Assertions.assertThat(at(SENT).signatureHeader(TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void canAcceptUpToFiveMinutesEitherWay() {
        assertThatCode(() -> at(SENT.plusSeconds(299)).verify(BODY, TIMESTAMP, SIGNATURE)).doesNotThrowAnyException();
        assertThatCode(() -> at(SENT.minusSeconds(299)).verify(BODY, TIMESTAMP, SIGNATURE)).doesNotThrowAnyException();
    }

    @Test
    void cannotAcceptAStaleOrFutureTimestamp() {
        assertThatThrownBy(() -> at(SENT.plusSeconds(301)).verify(BODY, TIMESTAMP, SIGNATURE))
                .isInstanceOf(OrbSignatureException.class).hasMessageContaining("too old");
        assertThatThrownBy(() -> at(SENT.minusSeconds(301)).verify(BODY, TIMESTAMP, SIGNATURE))
                .isInstanceOf(OrbSignatureException.class).hasMessageContaining("too new");
    }

    @Test
    void cannotAcceptATamperedBodyOrAnotherSecret() {
        assertThatThrownBy(() -> at(SENT).verify(BODY.replace("Happy", "Sad"), TIMESTAMP, SIGNATURE))
                .isInstanceOf(OrbSignatureException.class);
        assertThatThrownBy(() -> new OrbWebhookVerifier("another", Clock.fixed(SENT, ZoneOffset.UTC))
                .verify(BODY, TIMESTAMP, SIGNATURE)).isInstanceOf(OrbSignatureException.class);
    }

    @Test
    void cannotAcceptATimestampWithAnOffsetOrNoHeaders() {
        assertThatThrownBy(() -> at(SENT).verify(BODY, TIMESTAMP + "Z", SIGNATURE)).isInstanceOf(OrbSignatureException.class);
        assertThatThrownBy(() -> at(SENT).verify(BODY, null, SIGNATURE)).isInstanceOf(OrbSignatureException.class);
        assertThatThrownBy(() -> at(SENT).verify(BODY, TIMESTAMP, null)).isInstanceOf(OrbSignatureException.class);
    }
}
