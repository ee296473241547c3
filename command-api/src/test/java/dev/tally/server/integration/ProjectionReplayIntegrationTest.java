package dev.tally.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.projections.support.ProcessingGroups;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.Eventually;
import dev.tally.server.testing.LedgerScenario;
import dev.tally.server.testing.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

// Goal: rebuilding the projections from the events, or receiving events again, leaves every projected row exactly as it was.
class ProjectionReplayIntegrationTest extends ServerTest {

    private static final int ACCOUNTS = 3;
    private static final Duration CATCH_UP_WAIT_MAX = Duration.ofSeconds(30);

    /** The projected rows of the test's accounts, table by table, in a stable order. */
    private static final Map<String, String> SNAPSHOT_QUERIES = Map.of(
            "account", "SELECT * FROM projections.account WHERE account_id = ANY(?) ORDER BY account_id",
            "credit_grant", "SELECT * FROM projections.credit_grant WHERE account_id = ANY(?) ORDER BY account_id, grant_id",
            "usage_daily", "SELECT * FROM projections.usage_daily WHERE account_id = ANY(?) ORDER BY account_id, meter, day",
            "journal_posting", "SELECT * FROM projections.journal_posting WHERE account_id = ANY(?) ORDER BY account_id, sequence, line",
            "invoice", "SELECT * FROM projections.invoice WHERE account_id = ANY(?) ORDER BY account_id, period_start",
            "invoice_line", """
                    SELECT l.* FROM projections.invoice_line l JOIN projections.invoice i USING (invoice_id)
                    WHERE i.account_id = ANY(?) ORDER BY l.invoice_id, l.line_no""",
            "billing_schedule", "SELECT * FROM projections.billing_schedule WHERE account_id = ANY(?) ORDER BY account_id");

    @Autowired
    private EventProcessingConfiguration processing;
    @Autowired
    private TokenStore tokenStore;
    @Autowired
    private TransactionManager transactions;
    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void resettingTheThreeProcessorsRebuildsIdenticalRows() {
        List<String> accounts = activityOnSeveralAccounts();
        long latest = latestGlobalIndex();
        awaitCaughtUp(latest, accounts);
        Map<String, List<Map<String, Object>>> before = snapshot(accounts);

        for (String group : ProcessingGroups.ALL) {
            processor(group).shutDown();
        }
        for (String group : ProcessingGroups.ALL) {
            StreamingEventProcessor processor = processor(group);
            assertThat(processor.supportsReset()).as("%s supports reset", group).isTrue();
            processor.resetTokens();
        }
        // The reset handlers emptied the read models, so what follows is a rebuild from the events alone.
        for (String table : SNAPSHOT_QUERIES.keySet()) {
            assertThat(jdbc.queryForList(SNAPSHOT_QUERIES.get(table), (Object) accounts.toArray(String[]::new)))
                    .as("%s after the reset", table).isEmpty();
        }
        for (String group : ProcessingGroups.ALL) {
            processor(group).start();
        }
        awaitCaughtUp(latest, accounts);

        assertThat(snapshot(accounts)).isEqualTo(before);
    }

    @Test
    void receivingEveryEventAgainChangesNoRow() {
        List<String> accounts = activityOnSeveralAccounts();
        long latest = latestGlobalIndex();
        awaitCaughtUp(latest, accounts);
        Map<String, List<Map<String, Object>>> before = snapshot(accounts);

        // Rewind each processor's tokens to just before the accounts' first event, without a reset: the handlers
        // see every event of these accounts a second time, as after a crash between handling and storing the token.
        Long first = jdbc.queryForObject("SELECT min(globalIndex) FROM events.domain_event_entry WHERE aggregateIdentifier = ANY(?)",
                Long.class, (Object) accounts.toArray(String[]::new));
        GapAwareTrackingToken rewound = GapAwareTrackingToken.newInstance(first - 1, Collections.emptySortedSet());
        for (String group : ProcessingGroups.ALL) {
            processor(group).shutDown();
        }
        for (String group : ProcessingGroups.ALL) {
            transactions.executeInTransaction(() -> {
                for (int segment : tokenStore.fetchSegments(group)) {
                    tokenStore.storeToken(rewound, group, segment);
                    tokenStore.releaseClaim(group, segment);
                }
            });
        }
        for (String group : ProcessingGroups.ALL) {
            processor(group).start();
        }
        awaitCaughtUp(latest, accounts);

        assertThat(snapshot(accounts)).isEqualTo(before);
    }

    /**
     * Usage on several days and meters, grants (one voided), a charge and an adjustment, an invoice
     * for January (one voided) that a payment settles, and a refund.
     */
    private List<String> activityOnSeveralAccounts() {
        List<String> accounts = new ArrayList<>();
        Instant now = LedgerScenario.recently();
        for (int i = 0; i < ACCOUNTS; i++) {
            LedgerScenario ledger = LedgerScenario.open(api(), ADMIN_KEY);
            String base = "/v1/accounts/" + ledger.accountId;
            expectCreated(api().post(base + "/credits", ADMIN_KEY, """
                    {"grantId":"prepaid-1","amount":"3","kind":"prepaid","effectiveAt":"2026-01-01T00:00:00Z"}"""));
            expectCreated(api().post(base + "/credits", ADMIN_KEY, """
                    {"grantId":"promo-1","amount":"2","kind":"promotional","effectiveAt":"2026-01-01T00:00:00Z",
                     "expiresAt":"2099-01-01T00:00:00Z"}"""));
            expectAccepted(ledger.usage("u1", "gpu_seconds", "1000", now));
            expectAccepted(ledger.usage("u2", "images", String.valueOf(120 + i), now.minus(1, ChronoUnit.DAYS)));
            expectAccepted(ledger.usage("u3", "gpu_seconds", "250.5", now.minus(2, ChronoUnit.DAYS)));
            expectAccepted(ledger.usage("u4", "images", "30", now.minus(1, ChronoUnit.DAYS)));
            if (i == 1) {
                Api.Response voided = api().post(base + "/credits/promo-1/void", ADMIN_KEY, "{\"reason\":\"test\"}");
                assertThat(voided.status()).as(voided.raw().body()).isBetween(200, 201);
            }
            expectCreated(api().post(base + "/charges", ADMIN_KEY, """
                    {"chargeId":"setup","amount":"7.25","description":"setup fee"}"""));
            expectCreated(api().post(base + "/charges", ADMIN_KEY, """
                    {"chargeId":"goodwill","amount":"-1.25","description":"goodwill adjustment"}"""));
            expectCreated(api().post(base + "/charges", ADMIN_KEY, """
                    {"chargeId":"january","amount":"12","description":"January support","timestamp":"2026-01-15T00:00:00Z"}"""));
            expectCreated(api().post(base + "/invoices", ADMIN_KEY, "{\"periodStart\":\"2026-01-01T00:00:00Z\"}"));
            if (i == 2) {
                String invoiceId = api().get(base + "/invoices", ADMIN_KEY).body().get("items").get(0).get("invoiceId").asText();
                Api.Response voided = api().post("/v1/invoices/" + invoiceId + "/void", ADMIN_KEY, "{\"restoreCredits\":true}");
                assertThat(voided.status()).as(voided.raw().body()).isEqualTo(200);
            }
            expectCreated(api().post(base + "/payments", ADMIN_KEY, """
                    {"paymentId":"pay-1","amount":"20","method":"wire"}"""));
            expectCreated(api().post(base + "/refunds", ADMIN_KEY, """
                    {"refundId":"refund-1","paymentId":"pay-1","amount":"5"}"""));
            expectAccepted(ledger.usage("u5", "gpu_seconds", "0.125", now));
            accounts.add(ledger.accountId);
        }
        return accounts;
    }

    private Map<String, List<Map<String, Object>>> snapshot(List<String> accounts) {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        for (String table : SNAPSHOT_QUERIES.keySet()) {
            List<Map<String, Object>> tableRows = jdbc.queryForList(SNAPSHOT_QUERIES.get(table),
                    (Object) accounts.toArray(String[]::new));
            assertThat(tableRows).as("rows of %s for the accounts", table).isNotEmpty();
            rows.put(table, tableRows);
        }
        return rows;
    }

    /**
     * Waits until every segment of the three processors has handled {@code latest}, first as the processors
     * report it, then as their stored tokens say (the reads with {@code minPosition} wait on those).
     */
    private void awaitCaughtUp(long latest, List<String> accounts) {
        for (String group : ProcessingGroups.ALL) {
            StreamingEventProcessor processor = processor(group);
            int segments = tokenStore.fetchSegments(group).length;
            Eventually.awaitTrue(group + " reaches position " + latest, CATCH_UP_WAIT_MAX,
                    () -> caughtUp(processor, segments, latest), () -> processor.processingStatus().toString());
        }
        for (String account : accounts) {
            String base = "/v1/accounts/" + account;
            for (String read : List.of("/balance", "/journal", "/usage")) {
                Api.Response answer = api().get(base + read + "?minPosition=" + latest, ADMIN_KEY);
                assertThat(answer.status()).as(read + ": " + answer.raw().body()).isEqualTo(200);
            }
        }
    }

    private static boolean caughtUp(StreamingEventProcessor processor, int segments, long latest) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (!processor.isRunning() || status.size() != segments) {
            return false;
        }
        for (EventTrackerStatus segment : status.values()) {
            assertThat(segment.isErrorState()).as("segment %s is in error: %s", segment.getSegment(), segment.getError())
                    .isFalse();
            if (segment.getCurrentPosition().orElse(-1) < latest) {
                return false;
            }
        }
        return true;
    }

    private StreamingEventProcessor processor(String group) {
        return processing.eventProcessor(group, StreamingEventProcessor.class)
                .orElseThrow(() -> new AssertionError("no streaming processor " + group));
    }

    private long latestGlobalIndex() {
        Long latest = jdbc.queryForObject("SELECT max(globalIndex) FROM events.domain_event_entry", Long.class);
        return latest == null ? 0 : latest;
    }

    private static void expectCreated(Api.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
    }

    private static void expectAccepted(Api.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.body().get("results").get(0).get("status").asText()).isEqualTo("accepted");
    }
}
