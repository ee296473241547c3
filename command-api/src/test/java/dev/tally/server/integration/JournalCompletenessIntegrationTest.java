package dev.tally.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.ServerTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

// Goal: under concurrent writers, whose transactions commit out of global order (gaps the projection fills
// later), every usage event still has exactly its postings in the journal, each with its own event's position.
class JournalCompletenessIntegrationTest extends ServerTest {

    private static final int ACCOUNTS = 6;
    private static final int WRITERS = 8;
    private static final int BATCHES_PER_WRITER = 6;
    private static final int EVENTS_PER_ACCOUNT_PER_BATCH = 5;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void everyUsageEventHasItsPostingsAfterConcurrentIngestion() throws Exception {
        String planId = Api.unique("plan");
        api().post("/v1/plans", ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z",
                 "prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.5"}]}""".formatted(planId));
        List<String> accounts = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
            String accountId = planId + "-acct-" + a;
            accounts.add(accountId);
            assertThat(api().post("/v1/accounts", ADMIN_KEY, """
                    {"accountId":"%s","currency":"USD","planId":"%s","billingStart":"2026-01-01T00:00:00Z"}"""
                    .formatted(accountId, planId)).status()).isEqualTo(201);
        }
        Instant when = clock().instant().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<Long>> positions = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            positions.add(writers.submit(() -> {
                long position = 0;
                for (int b = 0; b < BATCHES_PER_WRITER; b++) {
                    List<String> events = new ArrayList<>();
                    for (String accountId : accounts) {
                        for (int e = 0; e < EVENTS_PER_ACCOUNT_PER_BATCH; e++) {
                            events.add("""
                                    {"idempotencyKey":"w%d-b%d-e%d","accountId":"%s","meter":"gpu_seconds","quantity":"1","timestamp":"%s"}"""
                                    .formatted(writer, b, e, accountId, when));
                        }
                    }
                    Api.Response answer = api().post("/v1/usage", ADMIN_KEY, "{\"events\":[" + String.join(",", events) + "]}");
                    assertThat(answer.status()).isEqualTo(200);
                    position = Math.max(position, answer.position());
                }
                return position;
            }));
        }
        long last = 0;
        for (Future<Long> position : positions) {
            last = Math.max(last, position.get());
        }
        writers.shutdown();

        int usageEvents = WRITERS * BATCHES_PER_WRITER * EVENTS_PER_ACCOUNT_PER_BATCH;
        for (String accountId : accounts) {
            Api.Response journal = api().get("/v1/accounts/" + accountId + "/journal?limit=1000&minPosition=" + last,
                    ADMIN_KEY);
            assertThat(journal.status()).isEqualTo(200);
            // Each usage event of 1 × 0.5 is uncovered: Dr receivable 0.50 / Cr revenue:usage:gpu_seconds 0.50; a stored
            // batch posts those summed, one pair of lines per stored event.
            Integer storedUsageEvents = jdbc.queryForObject("""
                    SELECT count(DISTINCT globalIndex) FROM events.usage_event WHERE aggregateIdentifier = ?""",
                    Integer.class, accountId);
            Integer storedUsage = jdbc.queryForObject("""
                    SELECT count(*) FROM events.usage_event WHERE aggregateIdentifier = ?""", Integer.class, accountId);
            assertThat(storedUsage).isEqualTo(usageEvents);
            assertThat(journal.body().get("items")).hasSize(2 * storedUsageEvents);
            BigDecimal revenue = BigDecimal.ZERO;
            BigDecimal receivable = BigDecimal.ZERO;
            int usageEventsPosted = 0;
            long previousPosition = 0;
            for (var item : journal.body().get("items")) {
                long position = item.get("position").asLong();
                assertThat(position).isGreaterThanOrEqualTo(previousPosition);
                previousPosition = position;
                if (item.get("ledgerAccount").asText().equals("revenue:usage:gpu_seconds")) {
                    revenue = revenue.add(new BigDecimal(item.get("credit").asText()));
                    usageEventsPosted += usageEventsIn(item.get("description").asText());
                } else {
                    assertThat(item.get("ledgerAccount").asText()).isEqualTo("receivable:" + accountId);
                    receivable = receivable.add(new BigDecimal(item.get("debit").asText()));
                }
            }
            BigDecimal accrued = new BigDecimal("0.5").multiply(BigDecimal.valueOf(usageEvents));
            assertThat(revenue).isEqualByComparingTo(accrued);
            assertThat(receivable).isEqualByComparingTo(accrued);
            assertThat(usageEventsPosted).as("usage events the revenue lines stand for").isEqualTo(usageEvents);
            // Every stored event that holds usage has its postings.
            Integer journaledEvents = jdbc.queryForObject("""
                    SELECT count(DISTINCT e.globalIndex) FROM projections.journal_posting p
                    JOIN events.domain_event_entry e ON e.eventIdentifier = p.event_id WHERE p.account_id = ?""",
                    Integer.class, accountId);
            assertThat(journaledEvents).isEqualTo(storedUsageEvents);
        }
    }

    /** "usage gpu_seconds (12 events)" for a stored batch, "usage gpu_seconds (<key>)" for a single usage event. */
    private static int usageEventsIn(String description) {
        java.util.regex.Matcher counted = java.util.regex.Pattern.compile("\\((\\d+) events?\\)$").matcher(description);
        return counted.find() ? Integer.parseInt(counted.group(1)) : 1;
    }
}
