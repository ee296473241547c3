package dev.tally.server.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

// Goal: an admin sees every dead letter with its reason, and a retry hands it back to its
// processor's handler (leaving the queue when that succeeds), a discard removes it; nobody else may.
class DeadLetterEndToEndTest extends ServerTest {

    private static final String GROUP = ProcessingGroups.LEDGER_PROJECTIONS;

    @Autowired
    private EventProcessingConfiguration processing;

    @Autowired
    private EventStore events;

    private LedgerScenario ledger;
    private long usagePosition;

    @BeforeEach
    void account() {
        ledger = LedgerScenario.open(api(), ADMIN_KEY);
        Api.Response usage = ledger.usage(Api.unique("u"), "gpu_seconds", "100", LedgerScenario.recently());
        assertThat(usage.status()).isEqualTo(200);
        usagePosition = usage.position();
        // The projection has handled the usage before a test dead-letters it, so the live event never queues behind.
        assertThat(ledger.balance(usagePosition).body().get("unbilled").asText()).isEqualTo("0.20");
    }

    /** The server is shared: a letter left behind would leave this account's views stalled and health DEGRADED. */
    @AfterEach
    void discardWhatTheTestLeft() {
        var queue = processing.deadLetterQueue(GROUP).orElseThrow();
        List<DeadLetter<? extends EventMessage<?>>> left = new ArrayList<>();
        queue.deadLetterSequence(ledger.accountId).forEach(left::add);
        left.forEach(queue::evict);
    }

    @Test
    void anAdminListsADeadLetterWithItsReasonAndARetryThatSucceedsEmptiesTheQueue() {
        // The count is the processor's, across the shared server's accounts: this letter makes it one more.
        long lettersBefore = listedCount();
        DomainEventMessage<?> usage = deadLetterTheAccountsLastEvent(new IllegalStateException("projection row locked"));

        JsonNode listed = api().get("/v1/admin/dead-letters?group=" + GROUP, ADMIN_KEY).body();
        JsonNode letter = letterFor(listed, usage.getIdentifier());
        assertThat(letter.get("group").asText()).isEqualTo(GROUP);
        assertThat(letter.get("sequence").asText()).isEqualTo(ledger.accountId);
        assertThat(letter.get("eventType").asText()).isEqualTo("UsageRecorded");
        assertThat(letter.get("aggregateId").asText()).isEqualTo(ledger.accountId);
        assertThat(letter.get("causeType").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(letter.get("causeMessage").asText()).isEqualTo("projection row locked");
        assertThat(listed.get("counts").get(GROUP).asLong()).as("letters of %s", GROUP).isEqualTo(lettersBefore + 1);

        Api.Response retried = api().post("/v1/admin/dead-letters/" + GROUP + "/" + letter.get("id").asText()
                + "/retry", ADMIN_KEY, "");

        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(200);
        assertThat(retried.body().get("processed").asBoolean()).isTrue();
        assertThat(letterFor(api().get("/v1/admin/dead-letters", ADMIN_KEY).body(), usage.getIdentifier())).isNull();
        assertThat(listedCount()).as("letters of %s after the retry", GROUP).isEqualTo(lettersBefore);
        // The projection handled the event once: the redelivery changed nothing.
        assertThat(ledger.balance(usagePosition).body().get("unbilled").asText()).isEqualTo("0.20");
    }

    @Test
    void anAdminDiscardsADeadLetterForGood() {
        DomainEventMessage<?> usage = deadLetterTheAccountsLastEvent(new IllegalArgumentException("poison"));
        String id = letterFor(api().get("/v1/admin/dead-letters", ADMIN_KEY).body(), usage.getIdentifier())
                .get("id").asText();

        assertThat(api().delete("/v1/admin/dead-letters/" + GROUP + "/" + id, ADMIN_KEY).status()).isEqualTo(204);

        assertThat(letterFor(api().get("/v1/admin/dead-letters", ADMIN_KEY).body(), usage.getIdentifier())).isNull();
        Api.Response again = api().delete("/v1/admin/dead-letters/" + GROUP + "/" + id, ADMIN_KEY);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.code()).isEqualTo("not_found");
    }

    @Test
    void onlyAdminsMayAndUnknownProcessorsOrLettersAreClearErrors() {
        String finance = api().post("/v1/api-keys", ADMIN_KEY, "{\"name\":\"finance\",\"role\":\"finance\"}").body()
                .get("key").asText();
        assertThat(api().get("/v1/admin/dead-letters", finance).status()).isEqualTo(403);
        assertThat(api().post("/v1/admin/dead-letters/" + GROUP + "/x/retry", finance, "").status()).isEqualTo(403);
        assertThat(api().get("/v1/admin/dead-letters", null).status()).isEqualTo(401);

        Api.Response unknownGroup = api().get("/v1/admin/dead-letters?group=nope", ADMIN_KEY);
        assertThat(unknownGroup.status()).isEqualTo(404);
        assertThat(unknownGroup.contentType()).startsWith("application/problem+json");
        Api.Response unknownLetter = api().post("/v1/admin/dead-letters/" + GROUP + "/no-such-letter/retry",
                ADMIN_KEY, "");
        assertThat(unknownLetter.status()).isEqualTo(404);
        assertThat(unknownLetter.code()).isEqualTo("not_found");
    }

    @Test
    void prometheusShowsEachProcessorsLagAndDeadLetters() {
        double lettersBefore = scrapedDeadLetters();
        DomainEventMessage<?> counted = deadLetterTheAccountsLastEvent(new IllegalStateException("counted"));

        String metrics = new String(api().download("/actuator/prometheus", ADMIN_KEY).body(), StandardCharsets.UTF_8);

        assertThat(metrics).containsPattern("tally_processor_lag_events\\{processor=\"" + GROUP + "\"[^}]*} \\d");
        assertThat(scrapedDeadLetters()).as("the processor's dead letters, this one among them")
                .isEqualTo(lettersBefore + 1);

        String id = letterFor(api().get("/v1/admin/dead-letters", ADMIN_KEY).body(), counted.getIdentifier())
                .get("id").asText();
        assertThat(api().delete("/v1/admin/dead-letters/" + GROUP + "/" + id, ADMIN_KEY).status()).isEqualTo(204);
        assertThat(scrapedDeadLetters()).as("the processor's dead letters once this one is discarded")
                .isEqualTo(lettersBefore);
    }

    /** The processor's dead letters as the admin API counts them. */
    private long listedCount() {
        JsonNode counts = api().get("/v1/admin/dead-letters?group=" + GROUP, ADMIN_KEY).body().get("counts");
        return counts.has(GROUP) ? counts.get(GROUP).asLong() : 0;
    }

    /** The value of the processor's dead-letter gauge in a Prometheus scrape. */
    private double scrapedDeadLetters() {
        String metrics = new String(api().download("/actuator/prometheus", ADMIN_KEY).body(), StandardCharsets.UTF_8);
        Matcher gauge = Pattern.compile("tally_processor_dead_letters\\{processor=\"" + GROUP + "\"[^}]*} (\\S+)")
                .matcher(metrics);
        assertThat(gauge.find()).as("tally_processor_dead_letters of %s in the scrape", GROUP).isTrue();
        return Double.parseDouble(gauge.group(1));
    }

    /** Puts the account's newest event in the projection processor's queue as if its handler had failed. */
    private DomainEventMessage<?> deadLetterTheAccountsLastEvent(Throwable cause) {
        List<DomainEventMessage<?>> stream = new ArrayList<>();
        events.readEvents(ledger.accountId).forEachRemaining(stream::add);
        DomainEventMessage<?> last = stream.get(stream.size() - 1);
        processing.deadLetterQueue(GROUP).orElseThrow()
                .enqueue(ledger.accountId, new GenericDeadLetter<EventMessage<?>>(ledger.accountId, last, cause));
        return last;
    }

    private static JsonNode letterFor(JsonNode list, String eventId) {
        for (JsonNode item : list.get("items")) {
            if (item.get("eventId").asText().equals(eventId)) {
                return item;
            }
        }
        return null;
    }
}
