package dev.tally.integrations.orb.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A status and a JSON body; problems are RFC 7807 bodies with Orb's type URLs. */
record FakeOrbAnswer(int status, JsonNode body) {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String TYPE_BASE = "https://docs.withorb.com/reference/error-responses#";

    static FakeOrbAnswer ok(JsonNode body) {
        return new FakeOrbAnswer(200, body);
    }

    static FakeOrbAnswer problem(int status, String slug, String title, String detail) {
        ObjectNode body = JSON.createObjectNode()
                .put("type", TYPE_BASE + slug)
                .put("status", status)
                .put("title", title)
                .put("detail", detail);
        return new FakeOrbAnswer(status, body);
    }

    static FakeOrbAnswer invalid(String detail, List<String> errors) {
        FakeOrbAnswer answer = problem(400, "400-request-validation-errors", "Request validation error", detail);
        errors.forEach(((ObjectNode) answer.body()).putArray("validation_errors")::add);
        return answer;
    }

    static FakeOrbAnswer notFound(String what) {
        return problem(404, "404-resource-not-found", "Resource not found", what + " not found");
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
