package dev.tally.server.integration.webhook;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.tally.integrations.stripe.webhook.WebhookOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.integration.stripe.StripeProperties;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.server.web.error.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import dev.tally.server.web.openapi.Refusals;

/**
 * {@code POST /webhooks/stripe}. The signature is the authentication: a delivery is believed only
 * if {@code Stripe-Signature} matches the raw body under the endpoint's secret and is at most
 * {@link #TOLERANCE_SECONDS} old. Anything else is a 400 that changes nothing.
 */
@RestController
@ConditionalOnTallyRole(TallyRole.API)
@Tag(name = "webhooks", description = "Events from Stripe and Orb; signed by their senders, no API key")
public class StripeWebhookController {

    /** Stripe's own default: older deliveries may be replays by someone who captured one. */
    public static final long TOLERANCE_SECONDS = Webhook.DEFAULT_TOLERANCE;

    private final StripeProperties properties;
    private final StripeWebhooks webhooks;
    private final Clock clock;

    public StripeWebhookController(StripeProperties properties, StripeWebhooks webhooks, Clock clock) {
        this.properties = properties;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    @PostMapping("/webhooks/stripe")
    @Operation(operationId = "receiveStripeWebhook", summary = "A Stripe event, signed with Stripe-Signature",
            description = "Takes no API key.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(type = "object", description = "the event as Stripe sends it"))))
    @Refusals({ErrorCode.WEBHOOK_NOT_CONFIGURED, ErrorCode.INVALID_SIGNATURE, ErrorCode.MALFORMED_REQUEST,
            ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD})
    public ResponseEntity<?> receive(@RequestBody(required = false) byte[] body,
                                     @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        if (!properties.webhooksEnabled()) {
            return Problems.response(ErrorCode.WEBHOOK_NOT_CONFIGURED,
                    "Stripe webhooks are not configured on this server (TALLY_STRIPE_WEBHOOK_SECRET)");
        }
        String payload = WebhookEnvelope.text(body);
        if (signature == null || signature.isBlank()) {
            return Problems.response(ErrorCode.INVALID_SIGNATURE, "Stripe-Signature header is missing");
        }
        try {
            // The signature check of Webhook.constructEvent without its second half, binding the body to
            // stripe-java's model of one API version: the event is read as plain JSON below.
            // stripe-java reads Clock.millis(), which the ledger's microsecond tick clock cannot answer (the JDK
            // divides by the tick in whole milliseconds); a clock fixed at this instant can.
            Clock now = Clock.fixed(clock.instant(), ZoneOffset.UTC);
            Webhook.Signature.verifyHeader(payload, signature, properties.webhookSecret(), TOLERANCE_SECONDS, now);
        } catch (SignatureVerificationException invalid) {
            return Problems.response(ErrorCode.INVALID_SIGNATURE,
                    "Stripe-Signature does not match the body, or is older than " + TOLERANCE_SECONDS + " s");
        } catch (RuntimeException unparsable) {
            // stripe-java parses the header's t= and v1= parts unguarded: "t=abc" or a bare "t" throw
            // NumberFormatException or ArrayIndexOutOfBoundsException, which are still a bad signature.
            return Problems.response(ErrorCode.INVALID_SIGNATURE, "Stripe-Signature is not t=<unix time>,v1=<hex>");
        }
        WebhookEnvelope event = WebhookEnvelope.read(payload);
        WebhookOutcome.Status status = webhooks.receive(event.id(), event.type(), payload);
        return ResponseEntity.ok(Map.of("received", true, "status", status.name().toLowerCase(Locale.ROOT)));
    }
}
