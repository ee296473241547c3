package dev.tally.server.integration.webhook;

import dev.tally.integrations.orb.webhook.OrbWebhookVerifier;
import dev.tally.server.integration.stripe.StripeServerTest;
import dev.tally.server.testing.Api;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

// Goal: Orb webhooks are believed only with Orb's signature within five minutes, and are acknowledged once.
class OrbWebhookEndToEndTest extends StripeServerTest {

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.jdbc.core.JdbcTemplate jdbc;

    /** Signs only (its clock judges nothing here): the server's verifier judges by the server's clock. */
    private static final OrbWebhookVerifier ORB = new OrbWebhookVerifier(ORB_SECRET, Clock.systemUTC());

    private Api.Response send(String body, String timestamp, String signature) {
        return api().post("/webhooks/orb", null, body, "X-Orb-Timestamp", timestamp, "X-Orb-Signature", signature);
    }

    /** Orb's X-Orb-Timestamp: UTC without an offset, to the millisecond. */
    private static String orbTimestamp(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String body(String id) {
        return "{\"id\":\"" + id + "\",\"created_at\":\"2026-11-25T18:00:00+00:00\",\"type\":\"invoice.issued\","
                + "\"properties\":{},\"invoice\":{\"id\":\"orb_inv_1\"}}";
    }

    @Test
    void canAcknowledgeASignedEventOnce() {
        String body = body(Api.unique("orb-evt"));
        String now = orbTimestamp(clock().instant());
        String signature = ORB.signatureHeader(now, body);

        Api.Response first = send(body, now, signature);
        Api.Response again = send(body, now, signature);

        assertThat(first.status()).as(first.raw().body()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        String id = body.substring(7, body.indexOf('"', 7));
        assertThat(jdbc.queryForList("SELECT status FROM integrations.webhook_inbox WHERE source = 'orb' AND event_id = ?",
                String.class, id)).as("one inbox row for the event").containsExactly("ignored");
    }

    @Test
    void cannotAcceptAWrongSecretAGarbledHeaderOrAMalformedBody() {
        String body = body(Api.unique("orb-evt"));
        String now = orbTimestamp(clock().instant());
        OrbWebhookVerifier someoneElse = new OrbWebhookVerifier("another-secret", Clock.systemUTC());

        Api.Response wrongSecret = send(body, now, someoneElse.signatureHeader(now, body));
        Api.Response offset = send(body, now + "Z", ORB.signatureHeader(now + "Z", body));
        Api.Response garbledTimestamp = send(body, "yesterday", ORB.signatureHeader(now, body));
        Api.Response garbledSignature = send(body, now, "v1");
        Api.Response notJson = send("not json", now, ORB.signatureHeader(now, "not json"));

        for (Api.Response refused : new Api.Response[]{wrongSecret, offset, garbledTimestamp, garbledSignature}) {
            assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("invalid_signature");
        }
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.code()).isEqualTo("malformed_request");
        String id = body.substring(7, body.indexOf('"', 7));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM integrations.webhook_inbox WHERE event_id = ?",
                Long.class, id)).isZero();
    }

    @Test
    void cannotAcceptATamperedBodyOrAStaleTimestamp() {
        String body = body(Api.unique("orb-evt"));
        String now = orbTimestamp(clock().instant());
        String stale = orbTimestamp(clock().instant().minus(6, ChronoUnit.MINUTES));

        Api.Response tampered = send(body.replace("invoice.issued", "invoice.edited"), now, ORB.signatureHeader(now, body));
        Api.Response old = send(body, stale, ORB.signatureHeader(stale, body));

        assertThat(tampered.status()).isEqualTo(400);
        assertThat(tampered.code()).isEqualTo("invalid_signature");
        assertThat(tampered.contentType()).startsWith("application/problem+json");
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.code()).isEqualTo("invalid_signature");
    }
}
