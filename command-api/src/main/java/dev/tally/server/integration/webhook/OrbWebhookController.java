package dev.tally.server.integration.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.integrations.orb.webhook.OrbSignatureException;
import dev.tally.integrations.orb.webhook.OrbWebhookVerifier;
import dev.tally.integrations.stripe.webhook.WebhookOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.server.web.error.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /webhooks/orb}: verified by Orb's HMAC signature, recorded once per event id and
 * acknowledged. No Orb event changes the ledger today (Tally is the system of record); each is
 * logged so that operators can see Orb's view.
 */
@RestController
@ConditionalOnTallyRole(TallyRole.API)
public class OrbWebhookController {

    public static final String SOURCE = "orb";

    private static final Logger log = LoggerFactory.getLogger(OrbWebhookController.class);

    private final WebhookProperties properties;
    private final WebhookInbox inbox;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public OrbWebhookController(WebhookProperties properties, WebhookInbox inbox, Clock clock) {
        this.properties = properties;
        this.inbox = inbox;
        this.clock = clock;
    }

    @PostMapping("/webhooks/orb")
    public ResponseEntity<?> receive(@RequestBody(required = false) byte[] body,
                                     @RequestHeader(name = "X-Orb-Timestamp", required = false) String timestamp,
                                     @RequestHeader(name = "X-Orb-Signature", required = false) String signature) {
        if (!properties.orbEnabled()) {
            return Problems.response(ErrorCode.WEBHOOK_NOT_CONFIGURED,
                    "Orb webhooks are not configured on this server (TALLY_ORB_WEBHOOK_SECRET)");
        }
        String payload = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        try {
            new OrbWebhookVerifier(properties.orbSecret(), clock).verify(payload, timestamp, signature);
        } catch (OrbSignatureException invalid) {
            return Problems.response(ErrorCode.INVALID_SIGNATURE, invalid.getMessage());
        }
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (IOException unreadable) {
            return Problems.response(ErrorCode.MALFORMED_REQUEST, "the body is not JSON");
        }
        String eventId = event.path("id").asText("");
        if (eventId.isBlank()) {
            return Problems.response(ErrorCode.MISSING_FIELD, "the event has no id");
        }
        String type = event.path("type").asText("");
        WebhookInbox.Entry entry = inbox.receive(SOURCE, eventId, type, payload);
        if (entry.isPending()) {
            inbox.record(entry, WebhookOutcome.ignored("acknowledged; Orb events do not change the ledger"));
            log.info("Orb event {} ({}) acknowledged", eventId, type);
        } else {
            log.info("Orb event {} ({}) delivered again", eventId, type);
        }
        return ResponseEntity.ok(Map.of("received", true,
                "status", WebhookOutcome.Status.IGNORED.name().toLowerCase(Locale.ROOT)));
    }
}
