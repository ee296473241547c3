package dev.tally.server.integration.webhook;

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

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import dev.tally.server.web.openapi.Refusals;

/**
 * {@code POST /webhooks/orb}: verified by Orb's HMAC signature, recorded once per event id and
 * acknowledged. No Orb event changes the ledger today (Tally is the system of record); each is
 * logged so that operators can see Orb's view.
 */
@RestController
@ConditionalOnTallyRole(TallyRole.API)
@Tag(name = "webhooks", description = "Events from Stripe and Orb; signed by their senders, no API key")
public class OrbWebhookController {

    public static final String SOURCE = "orb";

    private static final Logger log = LoggerFactory.getLogger(OrbWebhookController.class);

    private final WebhookProperties properties;
    private final WebhookInbox inbox;
    private final Clock clock;

    public OrbWebhookController(WebhookProperties properties, WebhookInbox inbox, Clock clock) {
        this.properties = properties;
        this.inbox = inbox;
        this.clock = clock;
    }

    @PostMapping("/webhooks/orb")
    @Operation(operationId = "receiveOrbWebhook",
            summary = "An Orb event, signed with X-Orb-Signature over X-Orb-Timestamp", description = "Takes no API key.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(type = "object", description = "the event as Orb sends it"))))
    @Refusals({ErrorCode.WEBHOOK_NOT_CONFIGURED, ErrorCode.INVALID_SIGNATURE, ErrorCode.MALFORMED_REQUEST,
            ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD})
    public ResponseEntity<?> receive(@RequestBody(required = false) byte[] body,
                                     @RequestHeader(name = "X-Orb-Timestamp", required = false) String timestamp,
                                     @RequestHeader(name = "X-Orb-Signature", required = false) String signature) {
        if (!properties.orbEnabled()) {
            return Problems.response(ErrorCode.WEBHOOK_NOT_CONFIGURED,
                    "Orb webhooks are not configured on this server (TALLY_ORB_WEBHOOK_SECRET)");
        }
        String payload = WebhookEnvelope.text(body);
        try {
            new OrbWebhookVerifier(properties.orbSecret(), clock).verify(payload, timestamp, signature);
        } catch (OrbSignatureException invalid) {
            return Problems.response(ErrorCode.INVALID_SIGNATURE, invalid.getMessage());
        }
        WebhookEnvelope event = WebhookEnvelope.read(payload);
        String eventId = event.id();
        String type = event.type();
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
