package dev.tally.server.axon;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// Goal: an event read with its timestamp parsed once is the event Axon read, timestamp included, whatever the text.
class ParsedTimestampEventDataTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T16:20:01.512Z", "2026-11-25T16:20:01Z", "2026-11-25T17:20:01.512+01:00",
            "+12026-01-01T00:00:00.000Z"})
    void isTheStoredEventWithTheTimestampAxonWouldParse(String text) {
        GenericDomainEventEntry<String> stored = new GenericDomainEventEntry<>("Account", "acme", 7, "event-1", text,
                "dev.tally.ledger.api.usage.UsageRecorded", null, "{\"payload\":1}", "{\"actor\":\"key_1\"}");

        ParsedTimestampEventData<String> read = ParsedTimestampEventData.of(stored, text);

        assertThat(read.getTimestamp()).isEqualTo(DateTimeUtils.parseInstant(text)).isEqualTo(stored.getTimestamp());
        assertThat(read.getEventIdentifier()).isEqualTo("event-1");
        assertThat(read.getType()).isEqualTo("Account");
        assertThat(read.getAggregateIdentifier()).isEqualTo("acme");
        assertThat(read.getSequenceNumber()).isEqualTo(7);
        assertThat(read.getPayload().getData()).isEqualTo("{\"payload\":1}");
        assertThat(read.getPayload().getType().getName()).isEqualTo("dev.tally.ledger.api.usage.UsageRecorded");
        assertThat(read.getMetaData().getData()).isEqualTo("{\"actor\":\"key_1\"}");
    }
}
