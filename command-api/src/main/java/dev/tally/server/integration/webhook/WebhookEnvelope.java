package dev.tally.server.integration.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.error.ProblemException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The id and type that Stripe and Orb events both carry, read from a body whose signature has been
 * checked. The id is the inbox key, so an event without one is refused.
 */
record WebhookEnvelope(String id, String type) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stripe's and Orb's ids are short ASCII tokens; the inbox key must fit its index. */
    static final int ID_LENGTH_MAX = 255;

    /** The raw body as the sender signed it: UTF-8, whatever the Content-Type says. */
    static String text(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    static WebhookEnvelope read(String payload) {
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (IOException unreadable) {
            throw new ProblemException(ErrorCode.MALFORMED_REQUEST, "the body is not JSON");
        }
        String id = event == null ? "" : event.path("id").asText("");
        if (id.isBlank()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, "the event has no id");
        }
        if (id.length() > ID_LENGTH_MAX || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProblemException(ErrorCode.INVALID_FIELD, "the event id must be 1.." + ID_LENGTH_MAX
                    + " printable ASCII characters");
        }
        return new WebhookEnvelope(id, event.path("type").asText(""));
    }
}
