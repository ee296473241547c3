package dev.tally.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

// Goal: the 4 KiB limit on an event's properties is measured on their JSON exactly, escapes and
// multi-byte characters included, whether or not the quick bound settles it.
class UsageBatchParserTest {

    private final ObjectMapper json = new ObjectMapper();

    private ObjectNode event(ObjectNode properties) {
        ObjectNode event = json.createObjectNode();
        event.put("idempotencyKey", "k-1");
        event.put("accountId", "acme");
        event.put("meter", "gpu_seconds");
        event.put("quantity", "1");
        event.put("timestamp", "2026-11-25T10:00:00Z");
        event.set("properties", properties);
        return event;
    }

    /** Properties {"p":"<value>"} whose JSON is exactly {@code bytes} long, the value made of {@code unit}. */
    private ObjectNode propertiesOf(int bytes, String unit) {
        ObjectNode properties = json.createObjectNode();
        String escapedUnit = json.writeValueAsString(unit);
        int unitBytes = escapedUnit.getBytes(StandardCharsets.UTF_8).length - 2;
        int overhead = "{\"p\":\"\"}".length();
        properties.put("p", unit.repeat((bytes - overhead) / unitBytes) + "x".repeat((bytes - overhead) % unitBytes));
        assertThat(properties.toString().getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return properties;
    }

    @Test
    void propertiesOfExactlyFourKibibytesAreAcceptedAndOneByteMoreIsNot() {
        for (String unit : new String[]{"a", "\"", "é", "€"}) {
            assertThat(UsageBatchParser.parse(event(propertiesOf(4096, unit))).rejection()).as(unit).isNull();
            JsonNode tooLarge = event(propertiesOf(4097, unit));
            assertThat(UsageBatchParser.parse(tooLarge).rejection()).as(unit).isNotNull();
            assertThat(UsageBatchParser.parse(tooLarge).rejection().code().code()).isEqualTo("invalid_properties");
        }
    }

    @Test
    void aControlCharacterIsMeasuredAsItsSixByteEscapeAndThenRefusedAsText() {
        // Within the size limit the text rule refuses it; one byte over, the size limit answers first.
        assertThat(UsageBatchParser.parse(event(propertiesOf(4096, "\u0001"))).rejection().code().code())
                .isEqualTo("invalid_text");
        assertThat(UsageBatchParser.parse(event(propertiesOf(4097, "\u0001"))).rejection().code().code())
                .isEqualTo("invalid_properties");
    }

    @Test
    void manySmallPropertiesAreMeasuredExactlyToo() {
        ObjectNode properties = json.createObjectNode();
        for (int index = 0; properties.toString().length() < 4000; index++) {
            properties.put("k" + index, index);
        }
        assertThat(UsageBatchParser.parse(event(properties)).rejection()).isNull();
        assertThat(UsageBatchParser.parse(event(properties)).submission().properties()).hasSize(properties.size());
    }
}
